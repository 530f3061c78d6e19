using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Hosting;

/// <summary>
/// Runs a background service's body for as long as the node runs (DESIGN.md §4, Hosting): a failure of any kind, of
/// any length of outage, never ends the service or the process. The failure is logged and counted, the service is
/// reported failing (<c>/health</c> Degraded, gauge <c>atrium.hosting.service.failing</c>), and after a capped,
/// jittered exponential backoff the body runs again; the body reports <see cref="SupervisedRun.Healthy"/> when a step
/// succeeds. Only the host's stopping token ends it. This is the one retry loop of the hosted services: their bodies
/// do one thing and let failures escape to it.
/// </summary>
public sealed partial class ServiceSupervisor(ServiceStates states, TimeProvider time, ILogger<ServiceSupervisor> logger)
{
    /// <summary>
    /// Runs <paramref name="body"/> until it returns or <paramref name="stoppingToken"/> is cancelled, running it
    /// again after each failure. A body that returns has done its work (e.g. subscribed): the service counts as running.
    /// </summary>
    public async Task RunAsync(
        string service, Func<SupervisedRun, CancellationToken, Task> body, CancellationToken stoppingToken, Backoff? backoff = null)
    {
        backoff ??= Backoff.Default;
        var run = new SupervisedRun(states, service);
        states.Running(service);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await body(run, stoppingToken);
                run.Healthy();
                return;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: whatever broke, the service is done
            }
            catch (Exception ex)
            {
                run.Failures++;
                var state = states.Failed(service, ex, time.GetUtcNow());
                var delay = backoff.Delay(run.Failures, Random.Shared);
                LogFailed(ex, service, run.Failures, (time.GetUtcNow() - state.FailingSince!.Value).TotalSeconds, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} failed ({Failures} in a row, failing for {Seconds:0.0} s); running it again in {DelayMs:0} ms")]
    private partial void LogFailed(Exception exception, string service, int failures, double seconds, double delayMs);
}
