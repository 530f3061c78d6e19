using Atrium.Lab.Tests.Support;
using Atrium.Lab.Experiments;
using Xunit;

namespace Atrium.Lab.Tests;

/// <summary>The <c>cache</c> experiment in --quick mode: what the database-read counts must show, never a time.</summary>
public sealed class CacheExperimentTests
{
    [Fact]
    public async Task Without_a_cache_every_redirect_reads_the_database_and_with_one_far_fewer_do()
    {
        var result = await new CacheExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        var f = result.Findings;

        foreach (var strategy in new[] { "none", "l1", "l1l2" })
        {
            Assert.True(f[$"{strategy}.redirects"] > 0, $"{strategy}: no redirect was answered");
        }

        // No cache: at least one primary read per answered redirect.
        Assert.True(f["none.databaseReads"] >= f["none.redirects"], $"none: {f["none.databaseReads"]} reads for {f["none.redirects"]} redirects");

        // A cache (L1, or L1 + L2): far below one read per redirect.
        Assert.True(f["l1.readsPerRedirect"] < 0.5, $"l1: {f["l1.readsPerRedirect"]} reads per redirect");
        Assert.True(f["l1l2.readsPerRedirect"] < 0.5, $"l1l2: {f["l1l2.readsPerRedirect"]} reads per redirect");

        // With the L2, L1 entries that expired during the run were refilled from Redis.
        Assert.True(f["l1l2.redisHits"] > 0, "the Redis L2 answered nothing");
        Assert.Contains("reads per redirect", result.Conclusion, StringComparison.Ordinal);
    }
}
