using Atrium.Platform.Resilience;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.Caching;

/// <summary>
/// The cluster: bumps the key's generation on this node, removes it from this node's L1, then in Redis bumps the key's
/// generation (<see cref="GenerationPrefix"/>), deletes the L2 entry and publishes the key on <see cref="Channel"/>;
/// <see cref="CacheInvalidationSubscriber"/> on every other node removes it from that node's L1.
/// When Redis does not take the Redis part (down, cut off, circuit open), the key stays in
/// <see cref="PendingInvalidations"/> and <see cref="CacheInvalidationRetrier"/> pushes it again every second until
/// Redis does: the old value cannot come back from the L2 when Redis returns. Pub/sub is at-most-once, so a message
/// lost on the way is covered by <see cref="MaxLocalLifetime"/>: no L1 entry outlives it.
/// </summary>
internal sealed partial class RedisCacheInvalidator(
    HybridCache cache,
    IConnectionMultiplexer redis,
    CacheNode node,
    CacheGenerations generations,
    PendingInvalidations pending,
    DependencyPipelines pipelines,
    ILogger<RedisCacheInvalidator> logger) : ICacheInvalidator
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("atrium:cache:invalidate");

    /// <summary>The prefix of HybridCache's L2 entries in Redis (the Redis IDistributedCache's instance name).</summary>
    public const string EntryPrefix = "atrium:cache:";

    /// <summary>The prefix of each key's generation in Redis: bumped by every invalidation, read around every fill.</summary>
    public const string GenerationPrefix = "atrium:cache-gen:";

    /// <summary>The L1 bound in the cluster: how stale a node may stay if an invalidation message is lost.</summary>
    public static readonly TimeSpan LocalLifetime = TimeSpan.FromSeconds(60);

    /// <summary>The L2 bound: how long an entry may outlive an invalidation lost with a node that stopped before Redis took it.</summary>
    public static readonly TimeSpan SharedLifetime = TimeSpan.FromMinutes(10);

    public TimeSpan MaxLocalLifetime => LocalLifetime;

    public TimeSpan MaxSharedLifetime => SharedLifetime;

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        // cancellationToken is not observed: this runs after a commit and must reach its end (ICacheInvalidator).
        generations.Bump(key);
        var sequence = pending.Add(key); // before the L1 removal: from here on this node skips the key's L2 entry
        using (L2Scope.EnterLocalOnly())
        {
            await cache.RemoveAsync(key, CancellationToken.None); // L1 only: the Redis part follows
        }

        if (!await TryPushAsync(key, sequence ?? 0))
        {
            if (sequence is null)
            {
                LogPendingFull(logger, key, PendingInvalidations.Capacity);
            }
            else
            {
                LogDeferred(logger, key);
            }
        }
    }

    /// <summary>The Redis part of one invalidation; true when Redis took it (and the key is no longer pending).</summary>
    public async ValueTask<bool> TryPushAsync(string key, long sequence)
    {
        if (!redis.IsConnected)
        {
            return false;
        }

        try
        {
            var generation = (RedisKey)(GenerationPrefix + key);
            var message = node.Message(key);
            await pipelines.Redis("cache", CallKind.Once).ExecuteAsync(
                async (state, ct) =>
                {
                    var db = state.redis.GetDatabase();

                    // The generation first: a fill that stores after the delete then finds it moved (CacheFill).
                    await db.StringIncrementAsync(state.generation).WaitAsync(ct);
                    await Task.WhenAll(
                            db.KeyExpireAsync(state.generation, SharedLifetime),
                            db.KeyDeleteAsync(EntryPrefix + state.key),
                            state.redis.GetSubscriber().PublishAsync(Channel, state.message))
                        .WaitAsync(ct);
                },
                (redis, generation, key, message),
                CancellationToken.None);
            pending.Done(key, sequence);
            return true;
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
        {
            return false;
        }
    }

    public async ValueTask<CacheStamp[]> StampAsync(IReadOnlyList<string> keys)
    {
        var shared = await SharedGenerationsAsync(keys);
        var stamps = new CacheStamp[keys.Count];
        for (var i = 0; i < stamps.Length; i++)
        {
            stamps[i] = new CacheStamp(generations.Current(keys[i]), shared?[i]);
        }

        return stamps;
    }

    public async ValueTask<bool[]> ChangedSinceAsync(IReadOnlyList<string> keys, CacheStamp[] stamps)
    {
        var shared = await SharedGenerationsAsync(keys);
        var changed = new bool[keys.Count];
        for (var i = 0; i < changed.Length; i++)
        {
            changed[i] = generations.Current(keys[i]) != stamps[i].Local || (stamps[i].Shared, shared?[i]) switch
            {
                (null, null) => false, // Redis away both times: no other node's invalidation got through either
                ({ } before, { } now) => before != now,
                _ => true, // Redis answered only once: unknown, so count it changed (one extra removal)
            };
        }

        return changed;
    }

    /// <summary>The keys' generations in Redis (0 for none), or null when Redis cannot be asked.</summary>
    private async ValueTask<long[]?> SharedGenerationsAsync(IReadOnlyList<string> keys)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        try
        {
            return await pipelines.Redis("cache", CallKind.Once).ExecuteAsync(
                static async (state, ct) =>
                {
                    var db = state.redis.GetDatabase();
                    var values = await Task.WhenAll(state.keys.Select(k => db.StringGetAsync(GenerationPrefix + k))).WaitAsync(ct);
                    return values.Select(v => v.IsNull ? 0L : (long)v).ToArray();
                },
                (redis, keys),
                CancellationToken.None);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation of {Key} not taken by Redis; retried until it is, and this node skips its L2 entry meanwhile.")]
    private static partial void LogDeferred(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invalidation of {Key} not kept for retry: {Capacity} are pending already; its L2 entry lives at most the L2 lifetime cap.")]
    private static partial void LogPendingFull(ILogger logger, string key, int capacity);
}
