using Atrium.Lab.Tests.Support;
using Atrium.Lab.Experiments;
using Xunit;

namespace Atrium.Lab.Tests;

/// <summary>The <c>replication</c> experiment in --quick mode: stale read-backs and where the reads went.</summary>
public sealed class ReplicationExperimentTests
{
    [Fact]
    public async Task Without_pinning_authors_miss_their_own_writes_and_with_pinning_never()
    {
        var result = await new ReplicationExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        var f = result.Findings;

        // Reading back at once from a replica a second behind: the new link is not there yet.
        Assert.True(f["unpinned.staleShare@0ms"] > 0, "no stale read-back without pinning");
        Assert.Equal(f["unpinned.reads"], f["unpinned.replicaReads"]);

        // Pinned: every read-back sees the write, because the primary answered it.
        Assert.Equal(0, f["pinned.stale"]);
        Assert.Equal(0, f["pinned.replicaReads"]);
        Assert.True(f["pinned.primaryReads"] >= f["pinned.reads"]);
    }
}
