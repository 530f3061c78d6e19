namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// The settings of a fault-injection cluster's Atrium node: the private servers, fast messaging, and limits raised so
/// the workload (every client is 127.0.0.1) measures faults, not rate limits. Everything else is the product's default.
/// </summary>
internal static class NodeSettings
{
    public const string AdminKey = "faults-admin-key-0123456789abcdef";

    public static Dictionary<string, string> For(string dataDirectory, string postgres, string replica, string redis, string rabbitMq) => new()
    {
        ["Atrium:DataDirectory"] = dataDirectory,
        ["Atrium:AdminKey"] = AdminKey,
        ["ConnectionStrings:Postgres"] = postgres,
        ["ConnectionStrings:PostgresReplicas"] = replica,
        ["ConnectionStrings:Redis"] = redis,
        ["ConnectionStrings:RabbitMQ"] = rabbitMq,
        ["Atrium:Messaging:PollInterval"] = "00:00:00.050",
        ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.020",
        ["Atrium:Messaging:RetryMaxDelay"] = "00:00:00.200",
        ["Links:CreatePerMinute"] = "600000",
        ["Links:CreateBurst"] = "100000",
        ["Links:ManagePerMinute"] = "600000",
        ["Links:ManageBurst"] = "100000",
        ["Links:AnonymousCreatePerMinute"] = "600000",
        ["Links:AnonymousCreateBurst"] = "100000",
        ["Links:ClickFlushInterval"] = "00:00:00.200",
        ["Feed:PostsPerMinute"] = "600000",
        ["Feed:PostsBurst"] = "100000",
        ["Feed:FollowChangesPerMinute"] = "600000",
        ["Feed:FollowChangesBurst"] = "100000",
        ["Feed:ReadsPerMinute"] = "600000",
        ["Feed:ReadsBurst"] = "100000",
        ["Chat:UserSendsPerSecond"] = "10000",
        ["Chat:UserSendBurst"] = "10000",
        ["Chat:ConversationSendsPerSecond"] = "10000",
        ["Chat:ConversationSendBurst"] = "10000",
        ["Accounts:PasswordIterations"] = "1000",
        ["Accounts:RegistrationBurst"] = "100000",
        ["Accounts:RegistrationsPerHour"] = "1000000",
        ["Accounts:ProfileReadsPerMinute"] = "600000",
        ["Accounts:ProfileReadsBurst"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Atrium.Platform.Resilience"] = "Information", // circuit transitions (scenario 11)
    };
}
