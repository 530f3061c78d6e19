using Microsoft.Extensions.Caching.Hybrid;

namespace Atrium.Platform.Caching;

/// <summary>
/// Cache-aside through HybridCache with the fill guarded (<see cref="CacheFill"/>): a value read before a write
/// cannot stay cached after that write's invalidation, on this node or any other. Every cache of the modules reads
/// through it.
/// </summary>
public static class GuardedFills
{
    /// <summary>
    /// The cached value of <paramref name="key"/>, else <paramref name="read"/>'s, stored with <paramref name="entry"/>
    /// (or, when given, <paramref name="storeAs"/>'s choice for the value read: e.g. a shorter life for "not found").
    /// </summary>
    public static async ValueTask<T> GetOrFillAsync<TState, T>(
        this HybridCache cache,
        ICacheInvalidator invalidator,
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> read,
        FillEntry entry,
        Func<T, FillEntry>? storeAs,
        CancellationToken cancellationToken)
    {
        var fill = new CacheFill(invalidator, key);
        var value = await cache.GetOrCreateAsync(
            key,
            (fill, state, read),
            static async (s, ct) =>
            {
                await s.fill.BeginAsync(); // before the read: an invalidation from here on is caught at SettleAsync
                return await s.read(s.state, ct);
            },
            entry.Lookup,
            cancellationToken: cancellationToken);
        if (fill.Began)
        {
            // This call read the source: it stores the value in L1 and L2 (awaited, unlike the factory's L2 write),
            // then drops it again if the key was invalidated meanwhile. Not cancellable: a half-done fill is the race.
            await cache.SetAsync(key, value, (storeAs?.Invoke(value) ?? entry).Store, cancellationToken: CancellationToken.None);
            await fill.SettleAsync();
        }

        return value;
    }
}
