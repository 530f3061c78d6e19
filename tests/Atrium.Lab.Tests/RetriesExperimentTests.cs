using Atrium.Lab.Experiments;
using Atrium.Lab.Tests.Support;
using Xunit;

namespace Atrium.Lab.Tests;

public sealed class RetriesExperimentTests
{
    [Fact]
    public async Task Retries_multiply_the_load_on_a_failing_dependency_and_a_circuit_breaker_takes_it_off()
    {
        var result = await new RetriesExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);

        Assert.Equal(1.0, result.Findings["none.loadMultiplier"], 2); // no retries: one dependency call per request
        Assert.True(result.Findings["immediate.loadMultiplier"] > 1.2, $"immediate retries: {result.Findings["immediate.loadMultiplier"]:0.00}×");
        Assert.True(result.Findings["backoff.loadMultiplier"] > 1.2, $"backoff: {result.Findings["backoff.loadMultiplier"]:0.00}×");
        Assert.True(
            result.Findings["breaker.loadMultiplier"] < result.Findings["immediate.loadMultiplier"],
            $"breaker {result.Findings["breaker.loadMultiplier"]:0.00}× vs immediate {result.Findings["immediate.loadMultiplier"]:0.00}×");
    }
}
