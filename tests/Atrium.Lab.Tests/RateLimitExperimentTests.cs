using Atrium.Lab.Experiments;
using Atrium.Lab.Tests.Support;
using Xunit;

namespace Atrium.Lab.Tests;

public sealed class RateLimitExperimentTests
{
    [Fact]
    public async Task A_fixed_window_lets_twice_the_nominal_rate_through_at_its_edges_and_a_sliding_window_does_not()
    {
        var result = await new RateLimitExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);

        // Bursts of 150, 100 ms apart, straddle each edge: a fixed window resets between them and takes 100 + 100;
        // a sliding window still counts the first burst; a token bucket has only 100 ms of refill for the second.
        // (The largest of five edges: a reset that a loaded machine delays past a second burst lowers only that edge.)
        Assert.InRange(result.Findings["fixed.maxPerHalfSecond"], 150, 200);
        Assert.Equal(100, result.Findings["sliding.maxPerHalfSecond"]);
        Assert.InRange(result.Findings["bucket.maxPerHalfSecond"], 100, 150);
    }
}
