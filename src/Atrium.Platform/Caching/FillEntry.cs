using Microsoft.Extensions.Caching.Hybrid;

namespace Atrium.Platform.Caching;

/// <summary>
/// An entry's lifetimes for <see cref="GuardedFills.GetOrFillAsync"/>: <see cref="Store"/> as given, and
/// <see cref="Lookup"/>, the same without the L2 write, because HybridCache writes a factory's value to the L2 in the
/// background, after the caller has its value, where no fill guard could follow it. Built once per cache.
/// </summary>
public sealed class FillEntry
{
    public FillEntry(HybridCacheEntryOptions store)
    {
        Store = store;
        Lookup = new HybridCacheEntryOptions
        {
            Expiration = store.Expiration,
            LocalCacheExpiration = store.LocalCacheExpiration,
            Flags = (store.Flags ?? HybridCacheEntryFlags.None) | HybridCacheEntryFlags.DisableDistributedCacheWrite,
        };
    }

    public HybridCacheEntryOptions Store { get; }

    public HybridCacheEntryOptions Lookup { get; }
}
