using Atrium.Testing.Servers;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Testing.Tests;

public sealed class RedisServerTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_then_get()
    {
        await using var server = await RedisServer.StartNewAsync(Cancellation);
        await using var redis = await ConnectAsync(server);

        await redis.GetDatabase().StringSetAsync("greeting", "hello");

        Assert.Equal("hello", (string?)await redis.GetDatabase().StringGetAsync("greeting"));
    }

    [Fact]
    public async Task Stop_makes_commands_fail_and_start_brings_it_back_empty_on_the_same_port()
    {
        await using var server = await RedisServer.StartNewAsync(Cancellation);
        await using var redis = await ConnectAsync(server);
        var database = redis.GetDatabase();
        await database.StringSetAsync("key", "before");

        await server.StopAsync(Cancellation);
        var outage = await Record.ExceptionAsync(() => database.StringGetAsync("key"));
        Assert.True(outage is RedisConnectionException or RedisTimeoutException, $"Expected a connection failure, got {outage}");

        await server.StartAsync(Cancellation);

        // The multiplexer reconnects by itself; without persistence the restarted server is empty.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!redis.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Cancellation);
        }

        Assert.True((await database.StringGetAsync("key")).IsNull);
        Assert.True(await database.StringSetAsync("key", "after"));
        Assert.Equal("after", (string?)await database.StringGetAsync("key"));
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(RedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(200);
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
