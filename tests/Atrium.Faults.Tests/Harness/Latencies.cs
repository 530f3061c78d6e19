using System.Collections.Concurrent;
using System.Globalization;

namespace Atrium.Faults.Tests.Harness;

/// <summary>Latencies of a kind of operation, for the summary's measurements (reported, never asserted).</summary>
internal sealed class Latencies
{
    private readonly ConcurrentBag<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    /// <summary>The <paramref name="percentile"/> (0–100) in ms, nearest rank; 0 when empty.</summary>
    public double Percentile(double percentile)
    {
        var sorted = _milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>"p50 1.2 ms, p99 4.5 ms, max 9.9 ms (n = 123)".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms, max {Percentile(100):0.0} ms (n = {Count})");
}
