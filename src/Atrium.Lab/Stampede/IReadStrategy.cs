using Atrium.Links.Domain;

namespace Atrium.Lab.Stampede;

/// <summary>One way of reading a link through a cache, for the <c>stampede</c> experiment.</summary>
internal interface IReadStrategy : IAsyncDisposable
{
    string Key { get; }

    string Label { get; }

    /// <summary>The link's redirect target, through this strategy's cache.</summary>
    ValueTask<RedirectTarget?> GetAsync(string code, CancellationToken cancellationToken);

    /// <summary>Makes the cached entry of <paramref name="code"/> expire now (as its lifetime running out would).</summary>
    ValueTask ExpireAsync(string code, CancellationToken cancellationToken);

    /// <summary>Completes when no background refresh is running (only stale-while-revalidate has any).</summary>
    Task WhenIdleAsync();
}
