using System.Diagnostics.Metrics;

namespace Atrium.Links;

/// <summary>The link shortener's instruments (meter <c>Atrium.Links</c>), scraped at <c>/metrics</c>.</summary>
internal sealed class LinksMetrics
{
    public const string MeterName = "Atrium.Links";
    private long _lookups;
    private long _misses;

    public LinksMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Created = meter.CreateCounter<long>("atrium.links.created", "{link}", "Links created.");
        Redirects = meter.CreateCounter<long>("atrium.links.redirects", "{redirect}", "Redirects answered.");
        ClicksDropped = meter.CreateCounter<long>("atrium.links.clicks_dropped", "{click}", "Clicks not counted: the click buffer was full (reason buffer_full), or the database was down at shutdown (reason shutdown).");
        GuessBlocks = meter.CreateCounter<long>("atrium.links.guess.blocks", "{block}", "Clients blocked for trying too many unknown short codes.");
        GuessesRefused = meter.CreateCounter<long>("atrium.links.guess.refused", "{request}", "Redirects and previews refused (429) because the client was guessing codes.");
        meter.CreateObservableCounter("atrium.links.cache.hits", () => Volatile.Read(ref _lookups) - Volatile.Read(ref _misses), "{lookup}", "Redirect lookups answered by the cache.");
        meter.CreateObservableCounter("atrium.links.cache.misses", () => Volatile.Read(ref _misses), "{lookup}", "Redirect lookups that read the database.");
    }

    public Counter<long> Created { get; }

    public Counter<long> Redirects { get; }

    public Counter<long> ClicksDropped { get; }

    public Counter<long> GuessBlocks { get; }

    public Counter<long> GuessesRefused { get; }

    public long CacheMisses => Volatile.Read(ref _misses);

    public void CacheLookup() => Interlocked.Increment(ref _lookups);

    public void CacheMiss() => Interlocked.Increment(ref _misses);
}
