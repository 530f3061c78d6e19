using System.Collections.Concurrent;

namespace Atrium.Links.Guessing;

/// <summary>
/// The clients this node refuses redirects to, each until an instant: the ones that ran out of misses here, and the
/// ones other nodes announced. Read on every redirect, so the common case — nobody blocked — is one volatile read.
/// </summary>
internal sealed class GuessBlocks(TimeProvider time)
{
    /// <summary>Past this many entries, expired ones are swept out (at most once per <see cref="SweepInterval"/>).</summary>
    private const int SweepAbove = 1024;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, long> _untilMs = new(StringComparer.Ordinal);
    private int _count;
    private long _lastSweepMs;

    /// <summary>True when no client is blocked (or none has come back since its block ended).</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Blocks <paramref name="client"/> for <paramref name="duration"/> from now; returns until when (unix ms).</summary>
    public long Block(string client, TimeSpan duration)
    {
        var until = NowMs() + (long)duration.TotalMilliseconds;
        BlockUntil(client, until);
        return until;
    }

    /// <summary>
    /// Blocks <paramref name="client"/> until <paramref name="untilMs"/> (unix ms); a longer block already in place stays,
    /// so hearing the same block twice (a node hears its own announcements) changes nothing.
    /// </summary>
    public void BlockUntil(string client, long untilMs)
    {
        var now = NowMs();
        if (untilMs <= now)
        {
            return; // already over (a message that arrived late)
        }

        while (true)
        {
            if (_untilMs.TryGetValue(client, out var current))
            {
                if (current >= untilMs || _untilMs.TryUpdate(client, untilMs, current))
                {
                    break;
                }
            }
            else if (_untilMs.TryAdd(client, untilMs))
            {
                Interlocked.Increment(ref _count);
                break;
            }
        }

        if (Volatile.Read(ref _count) > SweepAbove && now - Interlocked.Read(ref _lastSweepMs) > SweepInterval.TotalMilliseconds)
        {
            Interlocked.Exchange(ref _lastSweepMs, now);
            foreach (var (key, value) in _untilMs)
            {
                if (value <= now)
                {
                    Remove(key, value);
                }
            }
        }
    }

    /// <summary>True, with the time left, while <paramref name="client"/> is blocked; an ended block is dropped.</summary>
    public bool TryGetBlock(string client, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_untilMs.TryGetValue(client, out var until))
        {
            return false;
        }

        var left = until - NowMs();
        if (left > 0)
        {
            remaining = TimeSpan.FromMilliseconds(left);
            return true;
        }

        Remove(client, until);
        return false;
    }

    private void Remove(string client, long until)
    {
        if (_untilMs.TryRemove(KeyValuePair.Create(client, until)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
