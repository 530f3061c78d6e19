using Microsoft.Extensions.Caching.Hybrid;

namespace Atrium.Platform.Caching;

/// <summary>The embedded shape: one node, so removing the key from this node's HybridCache is all there is.</summary>
internal sealed class LocalCacheInvalidator(HybridCache cache) : ICacheInvalidator
{
    public TimeSpan MaxLocalLifetime => TimeSpan.MaxValue;

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken) => cache.RemoveAsync(key, cancellationToken);
}
