namespace Atrium.Platform.Ids;

/// <summary>
/// Snowflake-style 64-bit ids: 41 bits of milliseconds since 2026-01-01 UTC (about 69 years),
/// 10 bits of node id (leased, so two live processes never share one), 12 bits of sequence
/// (4,096 ids per millisecond per node). Ids from one node are strictly increasing; ids from
/// different nodes are ordered by time to within clock skew.
/// </summary>
public sealed class SnowflakeIds(TimeProvider time, NodeIdLease lease)
{
    public const int NodeBits = 10;
    public const int SequenceBits = 12;
    public const int MaxNode = (1 << NodeBits) - 1;
    private const long MaxSequence = (1 << SequenceBits) - 1;
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long EpochUnixMs = Epoch.ToUnixTimeMilliseconds();

    private readonly Lock _gate = new();
    private long _lastMillis = -1;
    private long _sequence;

    public long Next()
    {
        var node = lease.NodeId;
        lock (_gate)
        {
            var millis = Math.Max(MillisSinceEpoch(), _lastMillis); // never step back if the clock does
            if (millis == _lastMillis)
            {
                _sequence = (_sequence + 1) & MaxSequence;
                if (_sequence == 0)
                {
                    millis = WaitForNextMillisecond(millis);
                }
            }
            else
            {
                _sequence = 0;
            }

            _lastMillis = millis;
            lease.Issued(millis + EpochUnixMs);
            return (millis << (NodeBits + SequenceBits)) | ((long)node << SequenceBits) | _sequence;
        }
    }

    /// <summary>The creation time encoded in an id.</summary>
    public static DateTimeOffset TimeOf(long id) => Epoch.AddMilliseconds(id >> (NodeBits + SequenceBits));

    /// <summary>The smallest id that could be created at <paramref name="time"/>: a cursor bound for time ranges.</summary>
    public static long MinIdAt(DateTimeOffset time) => (long)(time - Epoch).TotalMilliseconds << (NodeBits + SequenceBits);

    private long MillisSinceEpoch() => (long)(time.GetUtcNow() - Epoch).TotalMilliseconds;

    private long WaitForNextMillisecond(long current)
    {
        var spin = new SpinWait();
        long now;
        while ((now = MillisSinceEpoch()) <= current)
        {
            spin.SpinOnce();
        }

        return now;
    }
}
