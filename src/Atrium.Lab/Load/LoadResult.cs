namespace Atrium.Lab.Load;

/// <summary>
/// What an open-loop run measured. Latencies (ms) are from each request's *intended* start, so time a request
/// waited because the server was slow counts (no coordinated omission). Errors are counted by kind.
/// </summary>
internal sealed record LoadResult(
    long Sent, long Ok, IReadOnlyDictionary<string, long> Errors, TimeSpan Elapsed,
    double P50, double P90, double P99, double P999, double Max)
{
    public long Failed => Sent - Ok;

    public double OkPerSecond => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;

    public double SuccessRate => Sent == 0 ? 0 : (double)Ok / Sent;

    public string ErrorSummary => Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key}: {e.Value}"));
}
