using System.Diagnostics;

namespace Atrium.Lab.Systems;

/// <summary>Bounded waiting for a server to reach a state (start-up, replication), never a measurement.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan timeout, Func<string> explain, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await ready(cancellationToken))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s: {explain()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
