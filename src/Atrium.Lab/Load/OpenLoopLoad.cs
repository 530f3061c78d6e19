using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Atrium.Lab.Load;

/// <summary>
/// A constant-arrival-rate load generator: request i is due at start + i / rate whether or not earlier ones have
/// answered (an open loop, like wrk2 or k6's constant-arrival-rate), and its latency is measured from that due
/// time — so a server that stalls cannot hide the wait of the requests queued behind the stall (coordinated
/// omission). Percentiles come from an HdrHistogram (microsecond resolution, 3 significant digits). More than
/// <c>maxInFlight</c> outstanding requests are not sent but counted as "client saturated" errors.
/// </summary>
internal static class OpenLoopLoad
{
    public const string Saturated = "client saturated";

    /// <param name="call">One request; returns null on success or the kind of error (e.g. "http 503", "timeout").</param>
    public static async Task<LoadResult> RunAsync(
        Func<long, CancellationToken, Task<string?>> call, double ratePerSecond, TimeSpan duration, CancellationToken cancellationToken,
        int maxInFlight = 2_000, Action? onSent = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        var histogram = new LongConcurrentHistogram(1, TimeStamp.Seconds(120), 3);
        var errors = new ConcurrentDictionary<string, long>();
        var total = (long)Math.Round(ratePerSecond * duration.TotalSeconds);
        var running = new List<Task>();
        long ok = 0, inFlight = 0, sent = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            sent++;
            onSent?.Invoke();
            if (Interlocked.Increment(ref inFlight) > maxInFlight)
            {
                Interlocked.Decrement(ref inFlight);
                errors.AddOrUpdate(Saturated, 1, (_, n) => n + 1);
                continue;
            }

            var index = i;
            running.Add(Task.Run(async () =>
            {
                string? error;
                try
                {
                    error = await call(index, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    error = ex.GetType().Name;
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }

                var latency = clock.Elapsed - due;
                histogram.RecordValue(Math.Max(1, (long)latency.TotalMicroseconds));
                if (error is null)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    errors.AddOrUpdate(error, 1, (_, n) => n + 1);
                }
            }, CancellationToken.None));
            if (running.Count > 10_000)
            {
                running.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        return new LoadResult(
            sent, ok, new Dictionary<string, long>(errors), elapsed,
            Ms(histogram, 50), Ms(histogram, 90), Ms(histogram, 99), Ms(histogram, 99.9),
            histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1000.0);
    }

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
