using Atrium.Platform.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Data;

/// <summary>
/// Post bodies by id through HybridCache (<c>feed:post:{id}</c>), in bulk: every id is looked up in the cache
/// (L1, then Redis L2), and all the misses are read in one query, then stored. A post never changes except by
/// its deletion, which invalidates the key everywhere (<see cref="ICacheInvalidator"/>); the tombstone is cached
/// like the body, so reads filter deleted posts without asking the database. Filled from the primary and guarded
/// (<see cref="CacheFill"/>), so a fill that raced a deletion cannot keep the live post cached.
/// </summary>
internal sealed class PostCache(HybridCache cache, ICacheInvalidator invalidator, PostStore store, IOptions<FeedOptions> options)
{
    private const HybridCacheEntryFlags ProbeOnly =
        HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    private static readonly HybridCacheEntryOptions Probe = new() { Flags = ProbeOnly };

    private readonly HybridCacheEntryOptions _entry = new()
    {
        Expiration = Min(options.Value.PostCacheDuration * 4, invalidator.MaxSharedLifetime),
        LocalCacheExpiration = Min(options.Value.PostCacheDuration, invalidator.MaxLocalLifetime),
    };

    public static string Key(long id) => $"feed:post:{id}";

    /// <summary>The posts with these ids that exist (deleted ones included, as tombstones), by id.</summary>
    public async Task<Dictionary<long, PostRow>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, PostRow>(ids.Count);
        var missing = new List<long>();
        foreach (var id in ids)
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            var cached = await cache.GetOrCreateAsync<PostRow?>(Key(id), static _ => ValueTask.FromResult<PostRow?>(null), Probe, cancellationToken: cancellationToken);
            if (cached is not null)
            {
                found[id] = cached;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            // A guarded fill (Platform/Caching) from the primary: a replica inside its lag window, or a read that
            // raced a deletion, would otherwise cache the live post past its tombstone. Only posts read are stored,
            // each under its own key; the stores are not cancellable (a half-done fill skips its check).
            var fill = new CacheFill(invalidator, missing.ConvertAll(Key));
            await fill.BeginAsync();
            foreach (var row in await store.FindManyOnPrimaryAsync(missing, cancellationToken))
            {
                found[row.Id] = row;
                await cache.SetAsync(Key(row.Id), row, _entry, cancellationToken: CancellationToken.None);
            }

            await fill.SettleAsync();
        }

        return found;
    }

    public ValueTask InvalidateAsync(long id, CancellationToken cancellationToken) => invalidator.InvalidateAsync(Key(id), cancellationToken);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
