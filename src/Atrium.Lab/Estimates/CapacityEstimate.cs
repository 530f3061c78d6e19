namespace Atrium.Lab.Estimates;

/// <summary>
/// Back-of-envelope capacity from <see cref="EstimateInputs"/>: average and peak QPS (reads and writes), storage
/// per year (with replicas, growing), bandwidth in and out, the cache that holds the hot share of a day's reads,
/// and servers at a per-node throughput (peak / node, plus one for failure: N + 1).
/// </summary>
internal sealed record CapacityEstimate(
    double AverageQps, double PeakQps, double WriteQps, double ReadQps,
    double StorageFirstYearBytes, double StorageThirdYearBytes,
    double IngressBytesPerSecond, double EgressBytesPerSecond,
    double CacheBytes, int Servers)
{
    private const double SecondsPerDay = 86_400;

    public static CapacityEstimate From(EstimateInputs i)
    {
        var average = i.DailyUsers * i.RequestsPerUserPerDay / SecondsPerDay;
        var writes = average / (1 + i.ReadsPerWrite);
        var reads = average - writes;
        var storedPerYear = writes * SecondsPerDay * 365 * i.BytesPerWrite * i.ReplicationFactor;
        var thirdYear = storedPerYear * (1 + (1 + i.YearlyGrowth) + ((1 + i.YearlyGrowth) * (1 + i.YearlyGrowth)));
        var peak = average * i.PeakFactor;
        return new CapacityEstimate(
            average, peak, writes, reads,
            storedPerYear, thirdYear,
            writes * i.BytesPerWrite, reads * i.BytesPerRead,
            reads * SecondsPerDay * i.BytesPerRead * i.HotShare,
            (int)Math.Ceiling(peak / i.NodeRequestsPerSecond) + 1);
    }
}
