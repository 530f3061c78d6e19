using System.Collections.Concurrent;
using Atrium.Links.Data;
using Atrium.Links.Domain;

namespace Atrium.Lab.Stampede;

/// <summary>
/// Stale-while-revalidate: an entry past its fresh lifetime is still served, and the first reader to see it stale
/// starts one refresh in the background (a flag taken with compare-and-swap); nobody waits for the database. A key
/// never loaded is read once for all (its readers share one load).
/// </summary>
internal sealed class StaleWhileRevalidateStrategy(LinkStore store, TimeSpan freshFor, TimeProvider time) : IReadStrategy
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<RedirectTarget?>>> _loads = new();
    private readonly ConcurrentDictionary<Task, byte> _refreshes = new();
    private long _servedStale;

    public string Key => "swr";

    public string Label => "stale-while-revalidate";

    /// <summary>Readers answered with a stale value while the refresh ran.</summary>
    public long ServedStale => Interlocked.Read(ref _servedStale);

    public async ValueTask<RedirectTarget?> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(code, out var entry))
        {
            if (entry.FreshUntil <= time.GetUtcNow())
            {
                Interlocked.Increment(ref _servedStale);
                if (Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) == 0)
                {
                    var refresh = RefreshAsync(code);
                    _refreshes[refresh] = 0;
                    _ = refresh.ContinueWith(t => _refreshes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }

            return entry.Value;
        }

        var load = _loads.GetOrAdd(code, c => new Lazy<Task<RedirectTarget?>>(() => LoadAsync(c)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _loads.TryRemove(KeyValuePair.Create(code, load));
        }
    }

    public ValueTask ExpireAsync(string code, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(code, out var entry))
        {
            _entries[code] = new Entry(entry.Value, DateTimeOffset.MinValue);
        }

        return ValueTask.CompletedTask;
    }

    public Task WhenIdleAsync() => Task.WhenAll(_refreshes.Keys);

    public ValueTask DisposeAsync() => new(WhenIdleAsync());

    private async Task RefreshAsync(string code) => await LoadAsync(code);

    private async Task<RedirectTarget?> LoadAsync(string code)
    {
        var link = await store.FindOnPrimaryAsync(code, CancellationToken.None);
        var target = link is null ? null : RedirectTarget.From(link);
        _entries[code] = new Entry(target, time.GetUtcNow() + freshFor);
        return target;
    }

    private sealed class Entry(RedirectTarget? value, DateTimeOffset freshUntil)
    {
        public int Refreshing;

        public RedirectTarget? Value { get; } = value;

        public DateTimeOffset FreshUntil { get; } = freshUntil;
    }
}
