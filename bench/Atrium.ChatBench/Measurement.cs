using System.Diagnostics;
using HdrHistogram;

namespace Atrium.ChatBench;

/// <summary>
/// Deliveries of messages sent inside the measurement window, and their latency (send → received by the recipient,
/// from the send's intended time, microseconds, HDR histogram: percentiles stay exact at the tail).
/// </summary>
internal sealed class Measurement
{
    private readonly LongConcurrentHistogram _latency = new(1, 120_000_000, 3);
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _delivered;
    private long _duplicates;

    /// <summary>Distinct deliveries (message × recipient) of messages sent in the window.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries of a message a recipient had already received (any window).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void Open(long start, long end)
    {
        Interlocked.Exchange(ref _windowStart, start);
        Interlocked.Exchange(ref _windowEnd, end);
    }

    public void Record(long sentAt, long receivedAt)
    {
        if (sentAt < Interlocked.Read(ref _windowStart) || sentAt >= Interlocked.Read(ref _windowEnd))
        {
            return;
        }

        Interlocked.Increment(ref _delivered);
        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(sentAt, receivedAt).TotalMicroseconds);
        _latency.RecordValue(Math.Min(micros, _latency.HighestTrackableValue));
    }

    public double PercentileMs(double percentile) => _latency.TotalCount == 0 ? 0 : _latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => _latency.GetMaxValue() / 1000.0;
}
