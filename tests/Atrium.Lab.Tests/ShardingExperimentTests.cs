using Atrium.Lab.Experiments;
using Atrium.Lab.Tests.Support;
using Xunit;

namespace Atrium.Lab.Tests;

public sealed class ShardingExperimentTests
{
    [Fact]
    public async Task Consistent_hashing_with_256_virtual_nodes_moves_under_two_nths_of_the_keys_and_mod_n_most_of_them()
    {
        var result = await new ShardingExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        const double Nodes = 5;

        Assert.True(result.Findings["ring-256.joinMoved"] < 2 / Nodes, $"ring moved {result.Findings["ring-256.joinMoved"]:P1} on join");
        Assert.True(result.Findings["ring-256.leaveMoved"] < 2 / Nodes, $"ring moved {result.Findings["ring-256.leaveMoved"]:P1} on leave");
        Assert.True(result.Findings["mod-n.joinMoved"] > 0.5, $"mod-N moved only {result.Findings["mod-n.joinMoved"]:P1}");
        Assert.True(result.Findings["ring-256.maxOverMean"] < result.Findings["ring-1.maxOverMean"], "more virtual nodes spread keys more evenly");
        Assert.Equal(1.0, result.Findings["timeRange.hottestShare"]);
        Assert.True(result.Findings["hashedId.hottestShare"] < 0.35);
        Assert.Contains("mod-N moved", result.Conclusion, StringComparison.Ordinal);
    }
}
