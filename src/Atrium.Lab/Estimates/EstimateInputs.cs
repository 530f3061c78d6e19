namespace Atrium.Lab.Estimates;

/// <summary>The inputs of a back-of-envelope estimate (the handbook's: users, requests, ratio, sizes, factors).</summary>
internal sealed record EstimateInputs(
    string Name,
    double DailyUsers,
    double RequestsPerUserPerDay,
    double ReadsPerWrite,
    double BytesPerWrite,
    double BytesPerRead,
    int ReplicationFactor,
    double YearlyGrowth,
    double PeakFactor,
    double HotShare,
    double NodeRequestsPerSecond)
{
    /// <summary>Presets from the handbook's worked examples; every number can be overridden on the command line.</summary>
    public static IReadOnlyDictionary<string, EstimateInputs> Presets { get; } = new Dictionary<string, EstimateInputs>(StringComparer.OrdinalIgnoreCase)
    {
        // "100M daily users × 10 requests ≈ 10k QPS average"
        ["handbook"] = new("handbook", 100e6, 10, 10, 1_000, 1_000, 3, 0.2, 3, 0.2, 5_000),
        // A link shortener: writes are new links (≈ 500 B rows), reads are redirects (≈ 300 B answers).
        ["links"] = new("links", 50e6, 4, 100, 500, 300, 3, 0.3, 3, 0.2, 60_000),
        // A news feed: posts are rare, timeline reads are many and each returns ~20 posts.
        ["feed"] = new("feed", 200e6, 50, 100, 300, 20 * 300, 3, 0.2, 3, 0.2, 5_000),
        // A chat: every message is written once and delivered to ~1.5 recipients on average.
        ["chat"] = new("chat", 500e6, 40, 1.5, 200, 200, 3, 0.25, 3, 0.1, 20_000),
    };
}
