namespace Atrium.Platform.Data;

/// <summary>
/// The primary's WAL positions as <see cref="ReplicaLagMonitor"/> saw them, oldest first, each with when it was seen
/// (this node's monotonic clock only: no clocks of other servers are compared). A replica that has replayed up to
/// position P misses what the primary wrote after P; the oldest recorded position above P was reached no later
/// than when it was recorded, so the replica is at least that old: its lag. Positions older than the horizon given
/// to <see cref="Record"/> are dropped (the newest of them is kept, so a replica behind it still counts as at least
/// that far behind).
/// </summary>
internal sealed class WalTimeline(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Timestamp, long Position)> _positions = new();

    /// <summary>Adds the primary's current position; forgets those older than <paramref name="horizon"/> but one.</summary>
    public void Record(long position, TimeSpan horizon)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            _positions.Enqueue((now, position));
            while (_positions.Count > 1 && time.GetElapsedTime(_positions.ElementAt(1).Timestamp, now) > horizon)
            {
                _positions.Dequeue();
            }
        }
    }

    /// <summary>How long ago the primary was first seen past <paramref name="replayed"/>; zero when it never was.</summary>
    public TimeSpan LagOf(long replayed)
    {
        lock (_gate)
        {
            foreach (var (timestamp, position) in _positions)
            {
                if (position > replayed)
                {
                    return time.GetElapsedTime(timestamp);
                }
            }
        }

        return TimeSpan.Zero;
    }
}
