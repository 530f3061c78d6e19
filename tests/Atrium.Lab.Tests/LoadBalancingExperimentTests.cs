using Atrium.Lab.Tests.Support;
using Atrium.Lab.Experiments;
using Xunit;

namespace Atrium.Lab.Tests;

/// <summary>The <c>loadbalancing</c> experiment in --quick mode: how many requests the slow node received under each policy.</summary>
public sealed class LoadBalancingExperimentTests
{
    [Fact]
    public async Task Round_robin_gives_the_slow_node_its_third_and_the_load_aware_policies_give_it_less()
    {
        var result = await new LoadBalancingExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        var f = result.Findings;

        foreach (var policy in new[] { "round-robin", "least-requests", "p2c" })
        {
            Assert.Equal(f[$"{policy}.ok"], f[$"{policy}.node1"] + f[$"{policy}.node2"] + f[$"{policy}.node3"]);
        }

        // Round robin ignores load: each node gets a third (give or take the requests in flight at the edges).
        Assert.InRange(f["round-robin.slowShare"], 0.3, 0.37);

        // Least requests and power of two choices see the slow node's queue and send it less.
        Assert.True(f["least-requests.slowShare"] < f["round-robin.slowShare"], $"least requests: {f["least-requests.slowShare"]}");
        Assert.True(f["p2c.slowShare"] < f["round-robin.slowShare"], $"power of two choices: {f["p2c.slowShare"]}");
    }
}
