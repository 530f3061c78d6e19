using System.Globalization;
using System.Threading.RateLimiting;
using Atrium.Lab.Reports;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>ratelimit</c>: .NET's fixed window, sliding window and token bucket limiters (System.Threading.RateLimiting,
/// what Atrium's limits are built on), all set to a nominal 100 requests per second, against a client that bursts
/// just before and just after every window edge. The limiters run on real time with their own replenishment
/// timers (the library checks elapsed time even on a manual <c>TryReplenish</c>, so it cannot be simulated
/// faster), all three fed the same bursts side by side. Measured: the most requests accepted in any 1-second
/// interval and the long-run accepted rate, against the nominal 100/s.
/// </summary>
internal sealed class RateLimitExperiment : IExperiment
{
    private const int Nominal = 100;
    private const int BurstSize = 150;
    private const int BurstOffsetMs = 50;

    /// <summary>
    /// "Within one second" is measured over 990 ms: bursts exactly one window apart are stamped up to a few ms
    /// closer than they were admitted (timer and scheduling jitter), which would count two windows as one.
    /// </summary>
    private const int TimerToleranceMs = 10;

    public string Name => "ratelimit";

    public string Summary => "fixed window vs sliding window vs token bucket under bursts at window edges";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Pick(30, 6);
        var limiters = new (string Key, string Label, Func<RateLimiter> Create)[]
        {
            ("fixed", "fixed window (100 per 1 s)", () => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = Nominal, Window = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
            })),
            ("sliding", "sliding window (100 per 1 s, 10 segments)", () => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = Nominal, Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = true,
            })),
            ("bucket", "token bucket (burst 100, 10 per 100 ms)", () => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Nominal, TokensPerPeriod = Nominal / 10, ReplenishmentPeriod = TimeSpan.FromMilliseconds(100), QueueLimit = 0, AutoReplenishment = true,
            })),
        };

        var rows = new List<IReadOnlyList<string>>();
        var findings = new Dictionary<string, double>();
        var series = new List<ChartSeries>();
        var step = context.Progress.Step($"{seconds} s of bursts against {limiters.Length} limiters", seconds);
        var created = limiters.Select(l => l.Create()).ToArray();
        var acceptedBy = await SimulateAsync(created, seconds, step, cancellationToken);
        for (var l = 0; l < limiters.Length; l++)
        {
            var (key, label, _) = limiters[l];
            var accepted = acceptedBy[l];
            created[l].Dispose();
            var maxInOneSecond = MaxInWindow(accepted, 1000 - TimerToleranceMs);
            var maxInHalfSecond = MaxInWindow(accepted, 500);
            var atEdges = accepted.Count(ms => ms % 1000 is < 50 or >= 950);
            var longRun = accepted.Count / (double)seconds;
            findings[$"{key}.maxPerSecond"] = maxInOneSecond;
            findings[$"{key}.maxPerHalfSecond"] = maxInHalfSecond;
            findings[$"{key}.rate"] = longRun;
            findings[$"{key}.atEdges"] = accepted.Count == 0 ? 0 : (double)atEdges / accepted.Count;
            rows.Add([
                label,
                maxInHalfSecond.ToString(CultureInfo.InvariantCulture),
                maxInOneSecond.ToString(CultureInfo.InvariantCulture),
                (maxInOneSecond / (double)Nominal).ToString("0.00", CultureInfo.InvariantCulture) + "×",
                longRun.ToString("0.0", CultureInfo.InvariantCulture),
                accepted.Count.ToString(CultureInfo.InvariantCulture),
            ]);
            series.Add(new ChartSeries(label, PerSecond(accepted, Math.Min(seconds, 10)), Enumerable.Range(0, Math.Min(seconds, 10)).Select(s => (double)s).ToList()));
        }

        step.Complete();
        var worst = limiters.MaxBy(l => findings[$"{l.Key}.maxPerHalfSecond"]);
        var best = limiters.MinBy(l => findings[$"{l.Key}.maxPerHalfSecond"]);
        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"Against bursts straddling each window edge, the {worst.Label} let {findings[$"{worst.Key}.maxPerHalfSecond"]:0} requests through within " +
            $"half a second ({findings[$"{worst.Key}.maxPerHalfSecond"] / Nominal:0.00}× what the nominal {Nominal}/s allows in a whole second); the " +
            $"{best.Label} held it to {findings[$"{best.Key}.maxPerHalfSecond"]:0}. Over any full second: fixed {findings["fixed.maxPerSecond"]:0}, " +
            $"sliding {findings["sliding.maxPerSecond"]:0}, token bucket {findings["bucket.maxPerSecond"]:0} (its bound is its burst plus a second of refill, {Nominal * 2}). " +
            $"Long-run rates: fixed {findings["fixed.rate"]:0.0}/s, sliding {findings["sliding.rate"]:0.0}/s, token bucket {findings["bucket.rate"]:0.0}/s.");
        return new ExperimentResult(
            Name,
            "Rate limiters under bursts at window edges",
            "How many requests does each limiter really let through when a client bursts on both sides of a window edge?",
            [
                ("nominal limit", $"{Nominal} requests per second"),
                ("client", $"{BurstSize} requests {BurstOffsetMs} ms before and {BurstSize} {BurstOffsetMs} ms after every whole second"),
                ("time", $"{seconds} s of real time; the three limiters side by side, created together, replenished by their own timers"),
                ("limiters", "System.Threading.RateLimiting (.NET), QueueLimit 0"),
            ],
            new ResultTable(["limiter", "max accepted in any 500 ms", "max accepted in any 1 s", "1 s vs nominal", "long-run accepted/s", "accepted in total"], rows),
            new ChartSpec("Requests accepted per second (first 10 s)", "second", "accepted", ChartKind.Lines, series),
            conclusion,
            findings);
    }

    /// <summary>The milliseconds (since the limiters were created) at which each limiter accepted a request.</summary>
    private static async Task<List<int>[]> SimulateAsync(RateLimiter[] limiters, int seconds, IProgressStep step, CancellationToken cancellationToken)
    {
        var accepted = limiters.Select(_ => new List<int>()).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var second = 1; second < seconds; second++)
        {
            foreach (var at in new[] { (second * 1000) - BurstOffsetMs, (second * 1000) + BurstOffsetMs })
            {
                var wait = TimeSpan.FromMilliseconds(at) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                var now = (int)clock.ElapsedMilliseconds;
                for (var l = 0; l < limiters.Length; l++)
                {
                    for (var i = 0; i < BurstSize; i++)
                    {
                        using var lease = limiters[l].AttemptAcquire();
                        if (lease.IsAcquired)
                        {
                            accepted[l].Add(now);
                        }
                    }
                }
            }

            step.Advance();
        }

        step.Complete();
        return accepted;
    }

    private static int MaxInWindow(List<int> accepted, int windowMs)
    {
        var best = 0;
        var start = 0;
        for (var end = 0; end < accepted.Count; end++)
        {
            while (accepted[end] - accepted[start] >= windowMs)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    private static List<double> PerSecond(List<int> accepted, int seconds) =>
        Enumerable.Range(0, seconds).Select(s => (double)accepted.Count(ms => ms / 1000 == s)).ToList();
}
