using Atrium.Platform.Data;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Read-your-writes pins in Redis: a pin set on one node holds on another; with Redis down, everyone counts as pinned.</summary>
public sealed class RedisWritePinsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pin_set_on_one_node_holds_on_another_and_an_unreachable_Redis_pins_everyone_to_the_primary()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Atrium:Database:ReadYourWritesWindow"] = "00:00:30",
        };
        var node1 = new AtriumApp(settings);
        var node2 = new AtriumApp(settings, node1.DataDirectory);
        try
        {
            await PinsAsync(redis, node1, node2);
        }
        finally
        {
            await node2.DisposeAsync();
            await node1.DisposeAsync();
            TestData.TryDelete(node1.DataDirectory);
        }
    }

    private static async Task PinsAsync(RedisServer redis, AtriumApp node1, AtriumApp node2)
    {
        var pins1 = node1.Services.GetRequiredService<IWritePins>();
        var pins2 = node2.Services.GetRequiredService<IWritePins>();
        var user = Random.Shared.NextInt64(1, long.MaxValue);

        Assert.False(await pins2.IsPinnedAsync(user, Ct));
        await pins1.PinAsync(user, Ct);
        Assert.True(await pins2.IsPinnedAsync(user, Ct));
        Assert.False(await pins2.IsPinnedAsync(user + 1, Ct));

        await redis.StopAsync(Ct);

        Assert.True(await pins2.IsPinnedAsync(user + 1, Ct)); // fail safe: read from the primary
        await pins1.PinAsync(user + 1, Ct); // logged, does not throw
    }
}
