using Xunit;

namespace Atrium.Feed.Tests.Domain;

/// <summary><c>Feed:CelebrityMergeBudget</c> must be a real budget: more than zero, at most a minute.</summary>
public sealed class CelebrityMergeBudgetOptionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void A_budget_outside_0_to_1_minute_is_refused(int milliseconds)
    {
        var problem = new FeedOptions { CelebrityMergeBudget = TimeSpan.FromMilliseconds(milliseconds) }.Validate();
        Assert.Equal("Feed:CelebrityMergeBudget must be more than 0 and at most 1 minute.", problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(60_000)]
    public void A_budget_within_range_is_accepted(int milliseconds) =>
        Assert.Null(new FeedOptions { CelebrityMergeBudget = TimeSpan.FromMilliseconds(milliseconds) }.Validate());
}
