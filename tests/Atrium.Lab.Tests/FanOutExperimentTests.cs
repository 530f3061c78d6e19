using Atrium.Lab.Experiments;
using Atrium.Lab.Tests.Support;
using Xunit;

namespace Atrium.Lab.Tests;

/// <summary>
/// The <c>fanout</c> experiment in --quick mode (a celebrity with 2,000 followers over a threshold of 1,000): what
/// each strategy writes per post, and that every reader sees every post. Counts, never times.
/// </summary>
public sealed class FanOutExperimentTests
{
    [Fact]
    public async Task Push_writes_to_every_follower_hybrid_skips_the_celebrity_pull_writes_nothing_and_every_reader_sees_every_post()
    {
        var result = await new FanOutExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);
        var f = result.Findings;
        var celebrityAudience = f["celebrityAudience"];
        var authorAudience = f["authorAudience"];
        Assert.True(celebrityAudience >= 2_000, $"the celebrity has {celebrityAudience} active followers");

        // Push: one timeline entry per active follower, for the celebrity's posts as for everyone's.
        Assert.Equal(celebrityAudience, f["push.celebrity.minWrites"]);
        Assert.Equal(celebrityAudience, f["push.celebrity.maxWrites"]);
        Assert.Equal(authorAudience, f["push.ordinary.minWrites"]);
        Assert.Equal(authorAudience, f["push.ordinary.maxWrites"]);

        // Hybrid: nothing written for the celebrity's posts (merged at read), one per follower for an ordinary post.
        Assert.Equal(0, f["hybrid.celebrity.maxWrites"]);
        Assert.Equal(authorAudience, f["hybrid.ordinary.minWrites"]);
        Assert.Equal(authorAudience, f["hybrid.ordinary.maxWrites"]);

        // Pull: nothing written at all.
        Assert.Equal(0, f["pull.celebrity.maxWrites"]);
        Assert.Equal(0, f["pull.ordinary.maxWrites"]);

        foreach (var strategy in new[] { "push", "pull", "hybrid" })
        {
            foreach (var kind in new[] { "celebrity", "ordinary" })
            {
                var posts = f[$"{strategy}.{kind}.posts"];
                Assert.True(posts > 0, $"{strategy}: no {kind} post was measured");
                Assert.Equal(posts, f[$"{strategy}.{kind}.seen"]); // correctness: a reader's feed showed each post
            }

            Assert.True(f[$"{strategy}.readOk"] > 0, $"{strategy}: no feed read succeeded");
            Assert.Equal(0, f[$"{strategy}.readFailed"]);
        }

        // Pushed posts reached every probed follower timeline; the others were not pushed at all.
        Assert.Equal(f["push.celebrity.posts"], f["push.celebrity.fannedOut"]);
        Assert.Equal(f["hybrid.ordinary.posts"], f["hybrid.ordinary.fannedOut"]);
        Assert.Equal(0, f["hybrid.celebrity.fannedOut"]);
        Assert.Contains("timeline entries", result.Conclusion, StringComparison.Ordinal);
    }
}
