using Atrium.Links.Data;
using Atrium.Links.Domain;
using Microsoft.Extensions.Caching.Memory;

namespace Atrium.Lab.Stampede;

/// <summary>
/// Plain cache-aside on an <see cref="IMemoryCache"/>, without single flight: look up; on a miss read the database
/// and store the result. Every reader that misses before the first read has stored its result reads the database too.
/// </summary>
internal sealed class CacheAsideStrategy(LinkStore store, TimeSpan lifetime) : IReadStrategy
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public string Key => "cache-aside";

    public string Label => "cache-aside, no single flight";

    public async ValueTask<RedirectTarget?> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(code, out RedirectTarget? cached))
        {
            return cached;
        }

        var link = await store.FindOnPrimaryAsync(code, cancellationToken);
        var target = link is null ? null : RedirectTarget.From(link);
        _cache.Set(code, target, lifetime);
        return target;
    }

    public ValueTask ExpireAsync(string code, CancellationToken cancellationToken)
    {
        _cache.Remove(code);
        return ValueTask.CompletedTask;
    }

    public Task WhenIdleAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _cache.Dispose();
        return ValueTask.CompletedTask;
    }
}
