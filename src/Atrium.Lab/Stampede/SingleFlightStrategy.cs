using Atrium.Links.Data;
using Atrium.Links.Domain;

namespace Atrium.Lab.Stampede;

/// <summary>
/// Atrium's own redirect cache, <see cref="LinkCache"/> on HybridCache: one factory per key at a time, so the
/// readers that miss together wait for one database read. Expiry is the product's own removal of the entry.
/// </summary>
internal sealed class SingleFlightStrategy(LinkCache cache) : IReadStrategy
{
    public string Key => "single-flight";

    public string Label => "single flight (Atrium's LinkCache, HybridCache)";

    public ValueTask<RedirectTarget?> GetAsync(string code, CancellationToken cancellationToken) => cache.GetAsync(code, cancellationToken);

    public ValueTask ExpireAsync(string code, CancellationToken cancellationToken) => cache.InvalidateAsync(code, cancellationToken);

    public Task WhenIdleAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
