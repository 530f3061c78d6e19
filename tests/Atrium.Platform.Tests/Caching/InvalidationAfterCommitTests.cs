using Atrium.Platform.Caching;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Platform.Tests.Caching;

/// <summary>
/// An invalidation follows a commit, so the caller's cancellation token (a request's, which fires when the client
/// disconnects right after the commit) must not stop it half-way: the key leaves this node's L1, the Redis L2 and
/// every other node's L1 all the same. Hosts of the real Platform on one data directory; the cluster test on a Redis
/// of its own.
/// </summary>
public sealed class InvalidationAfterCommitTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task On_one_node_an_invalidation_with_a_cancelled_token_still_removes_the_entry()
    {
        await using var host = await PlatformHost.StartAsync(_dir.Path);
        var key = NewKey();
        Assert.Equal("old", await ReadAsync(host, key, "old"));

        await InvalidateWithCancelledTokenAsync(host, key);

        Assert.Equal("new", await ReadAsync(host, key, "new"));
    }

    [Fact]
    public async Task In_the_cluster_an_invalidation_with_a_cancelled_token_still_reaches_Redis_and_the_other_node()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        await using var a = await PlatformHost.StartAsync(_dir.Path, settings: settings);
        await using var b = await PlatformHost.StartAsync(_dir.Path, settings: settings);

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

        // Warm-up: an ordinary invalidation reaches b, so b is subscribed before the one under test.
        var warmup = NewKey();
        await CachedOnBothAsync(a, b, connection, warmup);
        await a.Get<ICacheInvalidator>().InvalidateAsync(warmup, Ct);
        await Eventually.ReachesAsync(() => ReadAsync(b, warmup, "new"), v => v == "new", "b to drop the warm-up key");

        var key = NewKey();
        await CachedOnBothAsync(a, b, connection, key);

        await InvalidateWithCancelledTokenAsync(a, key);

        Assert.False(await connection.GetDatabase().KeyExistsAsync($"atrium:cache:{key}"), "the L2 entry outlived the invalidation");
        await Eventually.ReachesAsync(() => ReadAsync(b, key, "new"), v => v == "new", "b to drop the key from its L1", TimeSpan.FromSeconds(10));
        Assert.Equal("new", await ReadAsync(a, key, "new"));
    }

    /// <summary>"old" cached by a (L1 and, once its background write has landed, the L2), then read by b from the L2.</summary>
    private static async Task CachedOnBothAsync(PlatformHost a, PlatformHost b, ConnectionMultiplexer redis, string key)
    {
        Assert.Equal("old", await ReadAsync(a, key, "old"));
        await Eventually.HoldsAsync(() => redis.GetDatabase().KeyExistsAsync($"atrium:cache:{key}"), "the entry to be in the Redis L2");
        Assert.Equal("old", await ReadAsync(b, key, "new")); // an L2 hit, now in b's L1 too
    }

    private static string NewKey() => $"tests:item:{Guid.NewGuid():N}";

    /// <summary>The cached value of <paramref name="key"/>, or <paramref name="ifMissing"/> (then cached) when there is none.</summary>
    private static async Task<string> ReadAsync(PlatformHost host, string key, string ifMissing) =>
        await host.Get<HybridCache>().GetOrCreateAsync(key, ifMissing, static (value, _) => ValueTask.FromResult(value), cancellationToken: Ct);

    private static async Task InvalidateWithCancelledTokenAsync(PlatformHost host, string key)
    {
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync(); // the client disconnected right after the commit
        try
        {
            await host.Get<ICacheInvalidator>().InvalidateAsync(key, gone.Token);
        }
        catch (OperationCanceledException)
        {
            // Whether it throws is not the point; whether the key is gone everywhere is.
        }
    }
}
