using Atrium.Feed.Domain;
using Xunit;

namespace Atrium.Feed.Tests.Domain;

public sealed class CelebrityRuleTests
{
    private const long Threshold = 10_000;
    private const long Lower = 9_000;

    [Theory]
    [InlineData(false, 9_999, false)]
    [InlineData(false, 10_000, true)]
    [InlineData(true, 10_000, true)]
    [InlineData(true, 9_500, true)] // inside the band: stays a celebrity
    [InlineData(false, 9_500, false)] // inside the band: stays ordinary
    [InlineData(true, 9_000, true)]
    [InlineData(true, 8_999, false)]
    public void Switches_only_outside_the_hysteresis_band(bool isCelebrity, long followers, bool expected) =>
        Assert.Equal(expected, CelebrityRule.Next(isCelebrity, followers, Threshold, Lower));

    [Fact]
    public void An_author_hovering_at_the_threshold_flips_once()
    {
        var celebrity = false;
        var flips = 0;
        foreach (var followers in new long[] { 9_999, 10_000, 9_999, 10_000, 9_998, 10_001, 9_999 })
        {
            var next = CelebrityRule.Next(celebrity, followers, Threshold, Lower);
            flips += next != celebrity ? 1 : 0;
            celebrity = next;
        }

        Assert.Equal(1, flips);
        Assert.True(celebrity);
    }

    [Fact]
    public void The_lower_threshold_comes_from_the_settings()
    {
        Assert.Equal(9_000, new FeedOptions { CelebrityThreshold = 10_000, CelebrityHysteresis = 0.9 }.CelebrityLowerThreshold);
        Assert.Equal(2, new FeedOptions { CelebrityThreshold = 3, CelebrityHysteresis = 0.5 }.CelebrityLowerThreshold);
    }
}
