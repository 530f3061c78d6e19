using Microsoft.Extensions.Caching.Hybrid;

namespace Atrium.Platform.Caching;

/// <summary>The embedded shape: one node, so removing the key from this node's HybridCache is all there is.</summary>
internal sealed class LocalCacheInvalidator(HybridCache cache, CacheGenerations generations) : ICacheInvalidator
{
    public TimeSpan MaxLocalLifetime => TimeSpan.MaxValue;

    public TimeSpan MaxSharedLifetime => TimeSpan.MaxValue;

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        generations.Bump(key); // before the remove: a fill that stores after it sees the bump
        return cache.RemoveAsync(key, CancellationToken.None); // after a commit: never the caller's token
    }

    public ValueTask<CacheStamp[]> StampAsync(IReadOnlyList<string> keys) =>
        ValueTask.FromResult(keys.Select(key => new CacheStamp(generations.Current(key), null)).ToArray());

    public ValueTask<bool[]> ChangedSinceAsync(IReadOnlyList<string> keys, CacheStamp[] stamps) =>
        ValueTask.FromResult(keys.Select((key, i) => generations.Current(key) != stamps[i].Local).ToArray());
}
