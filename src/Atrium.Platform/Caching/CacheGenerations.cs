namespace Atrium.Platform.Caching;

/// <summary>
/// This node's invalidation counters: every invalidation of a key on this node (its own, or another node's message)
/// bumps the key's counter before the entry is removed, so a fill that read the source before the invalidation sees
/// the counter moved once it has stored its value (<see cref="CacheFill"/>). Striped by hash into a fixed array: two
/// keys sharing a stripe only cost an extra removal, never a stale entry, and memory does not grow with the keys.
/// </summary>
internal sealed class CacheGenerations
{
    private const int Stripes = 1 << 14;

    private readonly long[] _counters = new long[Stripes];

    public long Current(string key) => Volatile.Read(ref _counters[Stripe(key)]);

    public void Bump(string key) => Interlocked.Increment(ref _counters[Stripe(key)]);

    private static int Stripe(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes);
}
