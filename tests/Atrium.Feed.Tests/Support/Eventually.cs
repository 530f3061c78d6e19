using System.Diagnostics;
using Xunit;

namespace Atrium.Feed.Tests.Support;

/// <summary>Polls for an effect that happens asynchronously (fan-out, backfill, rebuild), with a generous deadline.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

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
                Assert.Fail($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50, ct);
        }
    }
}
