using Atrium.Platform.Hosting;
using Atrium.Platform.Redis;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Platform.Tests.Redis;

/// <summary>
/// The one subscribe-and-retry loop of the Redis channels (chat node channel, guess blocks, cache invalidation):
/// a real Platform host on a Redis of the test's own, which the tests stop and start. Shape-independent (the
/// subscription exists only with Redis), so it runs the same in both passes.
/// </summary>
public sealed class RedisChannelSubscriberTests : IDisposable
{
    private const string CacheSubscriber = "platform.cache-invalidation-subscriber";
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_subscription_retried_while_Redis_was_down_hands_each_message_over_once_when_Redis_comes_up()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await redis.StopAsync(Ct);
        await using var host = await StartHostAsync(redis);
        var channel = host.Get<RecordingChannel>();
        var states = host.Get<ServiceStates>();

        // Several failed attempts first: each one used to leave its handler registered with StackExchange.Redis.
        await Eventually.HoldsAsync(() => states.Of(RecordingChannel.Name)?.Failures >= 3, "three failed subscription attempts");

        await redis.StartAsync(Ct);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await DeliversAsync(publisher, channel, "probe");

        await publisher.GetSubscriber().PublishAsync(channel.Channel, "a");
        await publisher.GetSubscriber().PublishAsync(channel.Channel, "b");
        await Eventually.HoldsAsync(() => channel.CountOf("b") > 0, "the second message to arrive");
        await publisher.GetSubscriber().PingAsync(); // one round trip more: a duplicate of "b" would be here by now too
        Assert.Equal(1, channel.CountOf("a"));
        Assert.Equal(1, channel.CountOf("b"));
        Assert.False(states.Of(RecordingChannel.Name)!.IsFailing);
    }

    [Fact]
    public async Task While_Redis_is_down_health_names_every_subscription_and_once_it_is_back_each_delivers_again()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        await using var host = await StartHostAsync(redis);
        var channel = host.Get<RecordingChannel>();
        var states = host.Get<ServiceStates>();
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await DeliversAsync(publisher, channel, "before");
        Assert.Equal(HealthStatus.Healthy, (await ServicesHealthAsync(host)).Status);

        await redis.StopAsync(Ct);

        // Subscribed before, deaf now: /health says so (Degraded, still 200) and names both subscriptions.
        await Eventually.ReachesAsync(
            () => ServicesHealthAsync(host),
            entry => entry.Status == HealthStatus.Degraded
                && entry.Description!.Contains(RecordingChannel.Name, StringComparison.Ordinal)
                && entry.Description.Contains(CacheSubscriber, StringComparison.Ordinal),
            "/health to name both subscriptions while Redis is down");
        Assert.Contains(host.Logs.Entries, e => e.Contains(RecordingChannel.Name, StringComparison.Ordinal));

        await redis.StartAsync(Ct); // empty, on the same port: the subscriptions must be made again
        await DeliversAsync(publisher, channel, "after");
        await Eventually.HoldsAsync(
            () => states.Of(RecordingChannel.Name)?.IsFailing == false && states.Of(CacheSubscriber)?.IsFailing == false,
            "both subscriptions to report running again");

        // The cache channel is subscribed again too (this host is the only client of this Redis that subscribes).
        await Eventually.HoldsAsync(
            async () => await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("atrium:cache:invalidate"), "tests|none") == 1,
            "the cache invalidation channel to have its subscriber again");
    }

    private async Task<PlatformHost> StartHostAsync(RedisServer redis) =>
        await PlatformHost.StartAsync(
            _dir.Path,
            settings: new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString },
            configure: services => services.AddRedisSubscription<RecordingChannel>());

    /// <summary>Publishes probes named <paramref name="prefix"/> until one reaches <paramref name="channel"/>'s handler.</summary>
    private static async Task DeliversAsync(ConnectionMultiplexer publisher, RecordingChannel channel, string prefix)
    {
        var probe = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                if (channel.Messages.Any(m => m.StartsWith(prefix + "-", StringComparison.Ordinal)))
                {
                    return true;
                }

                await publisher.GetSubscriber().PublishAsync(channel.Channel, $"{prefix}-{probe++}");
                return false;
            },
            "a message on the channel to reach its handler");
    }

    /// <summary>The supervised services' part of <c>/health</c>.</summary>
    private static async Task<HealthReportEntry> ServicesHealthAsync(PlatformHost host) =>
        (await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Name == "services", Ct)).Entries["services"];
}
