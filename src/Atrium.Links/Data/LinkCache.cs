using Atrium.Links.Domain;
using Atrium.Platform.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Data;

/// <summary>
/// The redirect's read path: HybridCache (L1, and L2 when configured) in front of the database. A
/// missing code is cached too (as null, for a shorter time), and HybridCache runs one factory per key
/// at a time, so a hot key that expires costs one database read however many requests wait on it.
/// Every write path calls <see cref="InvalidateAsync"/> for the code it changed. <c>Links:Cache</c>
/// (<see cref="LinkCacheMode"/>) can keep it to L1 or turn it off, for the Lab's measurements.
/// </summary>
internal sealed class LinkCache(HybridCache cache, ICacheInvalidator invalidator, LinkStore store, LinksMetrics metrics, IOptions<LinksOptions> options)
{
    private readonly LinkCacheMode _mode = options.Value.Cache;

    private readonly FillEntry _entry = new(new HybridCacheEntryOptions
    {
        Expiration = Min(options.Value.LocalCacheDuration * 6, invalidator.MaxSharedLifetime),
        LocalCacheExpiration = Min(options.Value.LocalCacheDuration, invalidator.MaxLocalLifetime),
        Flags = Flags(options.Value.Cache),
    });

    private readonly FillEntry _missing = new(new HybridCacheEntryOptions
    {
        Expiration = Min(options.Value.NegativeCacheDuration, invalidator.MaxSharedLifetime),
        LocalCacheExpiration = Min(options.Value.NegativeCacheDuration, invalidator.MaxLocalLifetime),
        Flags = Flags(options.Value.Cache),
    });

    public static string Key(string code) => $"links:link:{code}";

    public async ValueTask<RedirectTarget?> GetAsync(string code, CancellationToken cancellationToken)
    {
        metrics.CacheLookup();
        if (_mode == LinkCacheMode.None)
        {
            metrics.CacheMiss();
            return await store.FindOnPrimaryAsync(code, cancellationToken) is { } found ? RedirectTarget.From(found) : null;
        }

        // A guarded fill (Platform/Caching): a read that raced a write cannot stay cached past its invalidation. A
        // freshly loaded "no such link" is stored with the short negative lifetime, and only for this code.
        return await cache.GetOrFillAsync(
            invalidator,
            Key(code),
            (store, metrics, code),
            static async (state, ct) =>
            {
                state.metrics.CacheMiss();
                var link = await state.store.FindOnPrimaryAsync(state.code, ct);
                return link is null ? null : RedirectTarget.From(link);
            },
            _entry,
            target => target is null ? _missing : _entry,
            cancellationToken);
    }

    public ValueTask InvalidateAsync(string code, CancellationToken cancellationToken) =>
        invalidator.InvalidateAsync(Key(code), cancellationToken);

    private static HybridCacheEntryFlags Flags(LinkCacheMode mode) =>
        mode == LinkCacheMode.Local ? HybridCacheEntryFlags.DisableDistributedCache : HybridCacheEntryFlags.None;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
