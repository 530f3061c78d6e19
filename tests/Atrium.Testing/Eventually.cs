using System.Diagnostics;
using Xunit;

namespace Atrium.Testing;

/// <summary>
/// Polls for an effect that happens asynchronously (fan-out, click counting, dead-lettering, delivery) until it
/// shows or a generous deadline passes. The deadline only bounds a hang: no assertion depends on how fast anything
/// happens (these machines are shared and noisy).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Probes until <paramref name="done"/> holds for the probed value; returns that value.</summary>
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(Interval, ct);
        }
    }

    public static Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReachesAsync(condition, held => held, what, timeout);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);
}
