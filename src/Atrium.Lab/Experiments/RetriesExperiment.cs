using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Atrium.Lab.Dependencies;
using Atrium.Lab.Load;
using Atrium.Lab.Reports;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>retries</c>: a real HTTP dependency with finite capacity fails half of its calls for a while. The same
/// open-loop client load calls it with no retries, immediate retries, exponential backoff with jitter, and
/// backoff + jitter behind a circuit breaker (Polly, as Atrium's own pipelines). Measured: how many calls the
/// dependency receives per client request (the load multiplier), the success rate during and after the fault,
/// and how long after the fault ends the clients succeed again (≥ 99 % per 250 ms window).
/// </summary>
internal sealed class RetriesExperiment : IExperiment
{
    private const double FailureShare = 0.5;

    public string Name => "retries";

    public string Summary => "immediate retries vs backoff + jitter vs plus circuit breaker, against a dependency failing half its calls";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var rate = context.Pick(200.0, 100.0);
        var capacity = (int)(rate * 1.25); // headroom for a quarter more: retries that add more than that overload it
        var (before, fault, after) = context.Pick(
            (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(7)),
            (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)));
        await using var dependency = await FlakyDependency.StartAsync(capacity, FailureShare, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = dependency.Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };

        // Warm up (JIT, connections) so the first strategy does not pay for it.
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            for (var i = 0; i < 10; i++)
            {
                using var response = await http.GetAsync(new Uri("/work", UriKind.Relative), cancellationToken);
            }
        }));
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken); // let its capacity refill

        var strategies = new (string Key, string Label, ResiliencePipeline<HttpResponseMessage> Pipeline)[]
        {
            ("none", "no retries", Pipelines.None()),
            ("immediate", "3 immediate retries", Pipelines.Immediate()),
            ("backoff", "3 retries, exponential backoff + jitter", Pipelines.Backoff()),
            ("breaker", "backoff + jitter + circuit breaker", Pipelines.BackoffAndBreaker()),
        };

        var rows = new List<IReadOnlyList<string>>();
        var findings = new Dictionary<string, double>();
        var series = new List<ChartSeries>();
        foreach (var (key, label, pipeline) in strategies)
        {
            var total = before + fault + after;
            var step = context.Progress.Step(label, rate * total.TotalSeconds);
            dependency.Faulty = false;
            dependency.ResetCount();
            var outcomes = new ConcurrentBag<(double At, bool Ok)>();
            var clock = Stopwatch.StartNew();
            using var faultSwitch = new Timer(_ => dependency.Faulty = clock.Elapsed >= before && clock.Elapsed < before + fault, null, 0, 5);
            var result = await OpenLoopLoad.RunAsync(
                async (_, ct) =>
                {
                    string? error = null;
                    try
                    {
                        using var response = await pipeline.ExecuteAsync(
                            async token => await http.GetAsync(new Uri("/work", UriKind.Relative), token), ct);
                        error = response.IsSuccessStatusCode ? null : $"http {(int)response.StatusCode}";
                    }
                    catch (BrokenCircuitException)
                    {
                        error = "circuit open";
                    }
                    catch (TimeoutRejectedException)
                    {
                        error = "timeout";
                    }

                    outcomes.Add((clock.Elapsed.TotalSeconds, error is null));
                    return error;
                },
                rate, total, cancellationToken, onSent: () => step.Advance());
            step.Complete();
            dependency.Faulty = false;

            var multiplier = (double)dependency.Calls / result.Sent;
            var during = SuccessRate(outcomes, before.TotalSeconds, (before + fault).TotalSeconds);
            var recovery = RecoverySeconds(outcomes, (before + fault).TotalSeconds, total.TotalSeconds);
            findings[$"{key}.loadMultiplier"] = multiplier;
            findings[$"{key}.successDuringFault"] = during;
            findings[$"{key}.recoverySeconds"] = recovery;
            findings[$"{key}.success"] = result.SuccessRate;
            rows.Add([
                label,
                multiplier.ToString("0.00", CultureInfo.InvariantCulture) + "×",
                Percent(during),
                Percent(result.SuccessRate),
                recovery.ToString("0.00", CultureInfo.InvariantCulture) + " s",
                result.P99.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
            ]);
            series.Add(Timeline(label, outcomes, total.TotalSeconds));
        }

        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"During the fault, immediate retries sent {findings["immediate.loadMultiplier"]:0.00}× the client's calls to the dependency " +
            $"and succeeded {Percent(findings["immediate.successDuringFault"])} of the time; backoff with jitter sent {findings["backoff.loadMultiplier"]:0.00}× " +
            $"({Percent(findings["backoff.successDuringFault"])}); adding the circuit breaker cut it to {findings["breaker.loadMultiplier"]:0.00}× " +
            $"({Percent(findings["breaker.successDuringFault"])} success, failing fast instead of waiting) and recovered in {findings["breaker.recoverySeconds"]:0.00} s " +
            $"vs {findings["immediate.recoverySeconds"]:0.00} s for immediate retries. Without retries: {Percent(findings["none.successDuringFault"])} success at 1.00×.");
        return new ExperimentResult(
            Name,
            "Retries against a failing dependency",
            "Do retries help or hurt when a dependency with finite capacity starts failing half its calls?",
            [
                ("client load", $"{rate:0} requests/s, open loop"),
                ("dependency", $"HTTP on 127.0.0.1, capacity {capacity} calls/s (503 beyond), fails {FailureShare:P0} while faulty"),
                ("timeline", $"{before.TotalSeconds:0} s healthy, {fault.TotalSeconds:0} s faulty, {after.TotalSeconds:0} s healthy"),
                ("retries", "3 (Polly); backoff: 50 ms × 2^n with Polly's decorrelated jitter; timeout 1 s per attempt"),
                ("breaker", "opens at ≥ 50 % failures over 2 s (≥ 20 calls), half-opens after 1 s"),
            ],
            new ResultTable(["strategy", "dependency calls per request", "success during fault", "success overall", "recovery after fault", "p99"], rows),
            new ChartSpec("Client success rate over time (fault in the middle)", "seconds", "success rate (%)", ChartKind.Lines, series),
            conclusion,
            findings);
    }

    private static double SuccessRate(IEnumerable<(double At, bool Ok)> outcomes, double from, double to)
    {
        var window = outcomes.Where(o => o.At >= from && o.At < to).ToList();
        return window.Count == 0 ? 0 : (double)window.Count(o => o.Ok) / window.Count;
    }

    /// <summary>Seconds from the end of the fault to the start of the first 250 ms window from which every later window succeeds ≥ 99 %.</summary>
    private static double RecoverySeconds(IEnumerable<(double At, bool Ok)> outcomes, double faultEnd, double end)
    {
        const double Window = 0.25;
        var list = outcomes.ToList();
        var recoveredAt = end;
        for (var t = end - Window; t >= faultEnd; t -= Window)
        {
            if (SuccessRate(list, t, t + Window) < 0.99)
            {
                break;
            }

            recoveredAt = t;
        }

        return Math.Max(0, recoveredAt - faultEnd);
    }

    private static ChartSeries Timeline(string label, IEnumerable<(double At, bool Ok)> outcomes, double end)
    {
        const double Bucket = 0.5;
        var list = outcomes.ToList();
        var xs = new List<double>();
        var ys = new List<double>();
        for (var t = 0.0; t < end; t += Bucket)
        {
            xs.Add(t);
            ys.Add(SuccessRate(list, t, t + Bucket) * 100);
        }

        return new ChartSeries(label, ys, xs);
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static class Pipelines
    {
        private static readonly PredicateBuilder<HttpResponseMessage> Failure = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>().Handle<TimeoutRejectedException>().HandleResult(r => (int)r.StatusCode >= 500);

        public static ResiliencePipeline<HttpResponseMessage> None() =>
            new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(TimeSpan.FromSeconds(1)).Build();

        public static ResiliencePipeline<HttpResponseMessage> Immediate() => new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3, Delay = TimeSpan.Zero, BackoffType = DelayBackoffType.Constant, UseJitter = false, ShouldHandle = Failure,
            })
            .AddTimeout(TimeSpan.FromSeconds(1))
            .Build();

        public static ResiliencePipeline<HttpResponseMessage> Backoff() => new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(BackoffRetry())
            .AddTimeout(TimeSpan.FromSeconds(1))
            .Build();

        public static ResiliencePipeline<HttpResponseMessage> BackoffAndBreaker() => new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(BackoffRetry())
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(2), MinimumThroughput = 20, BreakDuration = TimeSpan.FromSeconds(1), ShouldHandle = Failure,
            })
            .AddTimeout(TimeSpan.FromSeconds(1))
            .Build();

        private static RetryStrategyOptions<HttpResponseMessage> BackoffRetry() => new()
        {
            MaxRetryAttempts = 3, Delay = TimeSpan.FromMilliseconds(50), BackoffType = DelayBackoffType.Exponential, UseJitter = true, ShouldHandle = Failure,
        };
    }
}
