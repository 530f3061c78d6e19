using Atrium.Platform.Hosting;
using Atrium.Platform.Tests.Resilience;
using Atrium.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Atrium.Platform.Tests.Hosting;

/// <summary>The one retry loop of the background services (DESIGN.md §4, Hosting).</summary>
public sealed class ServiceSupervisorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_service_is_run_again_and_reported_degraded_until_it_works()
    {
        var states = new ServiceStates(new TestMeterFactory());
        var supervisor = new ServiceSupervisor(states, TimeProvider.System, NullLogger<ServiceSupervisor>.Instance);
        var health = new ServicesHealthCheck(states, TimeProvider.System);
        var runs = 0;
        var mayWork = new TaskCompletionSource();
        var worked = new TaskCompletionSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20));

        var supervised = supervisor.RunAsync(
            "tests.flaky",
            async (run, ct) =>
            {
                runs++;
                if (!mayWork.Task.IsCompleted)
                {
                    throw new InvalidOperationException("the dependency is down");
                }

                run.Healthy();
                worked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
            stop.Token,
            backoff);

        await Eventually.HoldsAsync(() => runs >= 5, "the service was run again after each failure");
        Assert.False(supervised.IsCompleted);
        var degraded = await health.CheckHealthAsync(new HealthCheckContext(), Ct);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("tests.flaky", degraded.Description, StringComparison.Ordinal);
        Assert.True(states.Of("tests.flaky")!.IsFailing);

        mayWork.SetResult();
        await worked.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);
        Assert.False(states.Of("tests.flaky")!.IsFailing);

        await stop.CancelAsync();
        await supervised; // stopping ends it without an exception
    }

    [Fact]
    public async Task A_service_that_throws_while_stopping_ends_quietly()
    {
        var states = new ServiceStates(new TestMeterFactory());
        var supervisor = new ServiceSupervisor(states, TimeProvider.System, NullLogger<ServiceSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var supervised = supervisor.RunAsync(
            "tests.stopping",
            async (_, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    throw new InvalidOperationException("a broken connection noticed on the way out");
                }
            },
            stop.Token);

        await stop.CancelAsync();
        await supervised;
        Assert.False(states.Of("tests.stopping")!.IsFailing);
    }
}
