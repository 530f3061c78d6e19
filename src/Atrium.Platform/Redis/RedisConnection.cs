using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// The options of the one shared multiplexer. A node starts and serves while Redis is down
/// (<c>AbortOnConnectFail=false</c>, reconnecting every 500 ms in the background), and commands fail at once
/// while disconnected (<see cref="BacklogPolicy.FailFast"/>) instead of queueing, so callers fall back at once.
/// Timeouts are short: Redis answers in well under a millisecond when it is healthy.
/// </summary>
internal static class RedisConnection
{
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1_000;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "atrium";
        return options;
    }
}
