using Atrium.Lab.Tests.Support;
using Atrium.Lab.Experiments;
using Xunit;

namespace Atrium.Lab.Tests;

/// <summary>The <c>stampede</c> experiment in --quick mode: database reads per expiry of the hot key.</summary>
public sealed class StampedeExperimentTests
{
    [Fact]
    public async Task Single_flight_and_stale_while_revalidate_read_the_database_once_per_expiry_and_cache_aside_more()
    {
        var result = await new StampedeExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        var f = result.Findings;

        Assert.Equal(1, f["single-flight.minReadsPerExpiry"]);
        Assert.Equal(1, f["single-flight.maxReadsPerExpiry"]);
        Assert.Equal(1, f["swr.minReadsPerExpiry"]);
        Assert.Equal(1, f["swr.maxReadsPerExpiry"]);
        Assert.True(f["cache-aside.readsPerExpiry"] > 1, $"cache-aside read {f["cache-aside.readsPerExpiry"]} times per expiry");

        // Stale-while-revalidate answers with the old value while it refreshes; every answer is still the link.
        Assert.True(f["swr.servedStale"] > 0);
        foreach (var strategy in new[] { "cache-aside", "single-flight", "swr" })
        {
            Assert.Equal(0, f[$"{strategy}.wrongAnswers"]);
        }
    }
}
