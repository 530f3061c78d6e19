using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HdrHistogram;

namespace Atrium.LoadGen;

/// <summary>What one measured window saw: every request's latency (HDR histogram, microseconds), statuses, failures.</summary>
internal sealed class LoadResult(LongConcurrentHistogram latency)
{
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private long _errors;
    private long _total;
    private TimeSpan _sending;
    private TimeSpan _elapsed;

    public void Status(int status) => _outcomes.AddOrUpdate(status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);

    public void Failure(string kind) => _outcomes.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Record(TimeSpan elapsed, bool ok)
    {
        latency.RecordValue(Math.Clamp((long)elapsed.TotalMicroseconds, 1, latency.HighestTrackableValue));
        if (!ok)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    public void Finish(long total, TimeSpan sending, TimeSpan elapsed)
    {
        _total = total;
        _sending = sending;
        _elapsed = elapsed;
    }

    private double Ms(double percentile) => latency.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>The raw text: settings, outcomes, the percentile ladder, and a last line the scripts parse.</summary>
    public string Render(LoadOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"open loop: {options.Method} {options.Url} at {options.Rate} req/s for {options.Duration.TotalSeconds:0.#} s (after {options.Warmup.TotalSeconds:0.#} s warm-up), up to {options.Connections} connections, timeout {options.Timeout.TotalSeconds:0.#} s");
        text.AppendLine(c, $"requests: {_total}, sent over {_sending.TotalSeconds:0.00} s, all answered after {_elapsed.TotalSeconds:0.00} s ({_total / _elapsed.TotalSeconds:0} req/s completed)");
        text.AppendLine("outcomes: " + string.Join(", ", _outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} × {o.Value}")));
        text.AppendLine("latency from the intended start (ms):");
        foreach (var p in new[] { 50.0, 75, 90, 99, 99.9, 99.99, 100 })
        {
            text.AppendLine(c, $"  {p,6}%  {Ms(p),10:0.000}");
        }

        text.AppendLine(c, $"mean {latency.GetMean() / 1000.0:0.000} ms, stddev {latency.GetStdDeviation() / 1000.0:0.000} ms");
        // "loadgen: rate p50 p99 p99.9 max errors" (ms); errors = non-2xx/3xx answers + failed requests.
        text.AppendLine(c, $"loadgen: {_total / _elapsed.TotalSeconds:0} {Ms(50):0.00} {Ms(99):0.00} {Ms(99.9):0.00} {Ms(100):0.00} {Interlocked.Read(ref _errors)}");
        return text.ToString();
    }
}
