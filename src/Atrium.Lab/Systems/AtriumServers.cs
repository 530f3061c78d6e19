namespace Atrium.Lab.Systems;

/// <summary>Starts real Atrium servers (<c>Atrium.Server.dll</c>) for experiments, with settings the Lab needs.</summary>
internal static class AtriumServers
{
    /// <summary>
    /// Settings every Lab server gets besides <paramref name="settings"/>: its own data directory, limits raised so
    /// the load generator is not rate-limited (nor taken for a short-code guesser), fast password hashing (accounts are set-up, not the measurement).
    /// </summary>
    public static Task<DotnetApp> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string>
        {
            ["Atrium:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"atrium-lab-server-{Guid.NewGuid():N}"),
            ["Links:CreatePerMinute"] = "600000",
            ["Links:CreateBurst"] = "100000",
            ["Links:ManagePerMinute"] = "600000",
            ["Links:ManageBurst"] = "100000",
            ["Links:AnonymousCreatePerMinute"] = "600000",
            ["Links:AnonymousCreateBurst"] = "100000",
            ["Links:GuessLimitMisses"] = "0", // one load generator is one client: its unknown codes are not guessing
            ["Accounts:PasswordIterations"] = "1000",
            ["Accounts:RegistrationBurst"] = "100000",
            ["Accounts:RegistrationsPerHour"] = "1000000",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return DotnetApp.StartAsync(BuiltApps.Server, all, "/health", cancellationToken);
    }

    /// <summary>The real Atrium.Gateway (YARP) in front of <paramref name="destinations"/> with a load-balancing policy.</summary>
    public static Task<DotnetApp> StartGatewayAsync(IReadOnlyList<Uri> destinations, string policy, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string> { ["Gateway:LoadBalancing"] = policy };
        for (var i = 0; i < destinations.Count; i++)
        {
            settings[$"Gateway:Destinations:{i}"] = destinations[i].ToString().TrimEnd('/');
        }

        return DotnetApp.StartAsync(BuiltApps.Gateway, settings, "/gateway/health", cancellationToken);
    }
}
