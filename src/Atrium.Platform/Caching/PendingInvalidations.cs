using System.Collections.Concurrent;

namespace Atrium.Platform.Caching;

/// <summary>
/// Keys this node has invalidated whose Redis part (generation bump, L2 delete, publish) Redis has not taken yet:
/// <see cref="CacheInvalidationRetrier"/> pushes them until it does. While a key is here this node reads nothing for
/// it from the L2 (<see cref="ResilientDistributedCache"/>), which may still hold the old value. Each entry carries the
/// sequence of its latest invalidation, so a push that succeeded does not clear a newer invalidation of the same key.
/// Held in memory, up to <see cref="Capacity"/> keys: a key past it, or lost with the process, is bounded by the L2
/// lifetime cap (<see cref="ICacheInvalidator.MaxSharedLifetime"/>).
/// </summary>
internal sealed class PendingInvalidations
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, long> _keys = new(StringComparer.Ordinal);
    private long _sequence;

    public int Count => _keys.Count;

    public bool Contains(string key) => !_keys.IsEmpty && _keys.ContainsKey(key);

    /// <summary>Marks <paramref name="key"/> pending; the sequence to clear it with, or null when full.</summary>
    public long? Add(string key)
    {
        if (_keys.Count >= Capacity && !_keys.ContainsKey(key))
        {
            return null;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        _keys[key] = sequence;
        return sequence;
    }

    /// <summary>Clears <paramref name="key"/> unless it was invalidated again after <paramref name="sequence"/>.</summary>
    public void Done(string key, long sequence) => _keys.TryRemove(new KeyValuePair<string, long>(key, sequence));

    public List<KeyValuePair<string, long>> Snapshot() => [.. _keys];
}
