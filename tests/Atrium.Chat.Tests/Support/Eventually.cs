using System.Diagnostics;
using Xunit;

namespace Atrium.Chat.Tests.Support;

/// <summary>Polls for an effect that happens asynchronously (a replica catching up, a receipt), with a generous deadline.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"Gave up after {Deadline.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50, ct);
        }
    }
}
