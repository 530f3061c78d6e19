using Atrium.Feed.Domain;
using Xunit;

namespace Atrium.Feed.Tests.Domain;

public sealed class ActivityRuleTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private const long Now = 1_800_000_000_000;

    [Fact]
    public void A_reader_is_active_for_the_window_after_their_last_read()
    {
        Assert.True(ActivityRule.IsActive(Now - (long)Week.TotalMilliseconds + 1, Now, Week));
        Assert.False(ActivityRule.IsActive(Now - (long)Week.TotalMilliseconds, Now, Week));
        Assert.False(ActivityRule.IsActive(0, Now, Week)); // never read
    }

    [Fact]
    public void Activity_is_written_at_most_once_per_resolution()
    {
        var hour = TimeSpan.FromHours(1);
        Assert.False(ActivityRule.NeedsTouch(Now - 1000, Now, hour));
        Assert.True(ActivityRule.NeedsTouch(Now - (long)hour.TotalMilliseconds, Now, hour));
    }

    [Fact]
    public void Active_since_agrees_with_is_active()
    {
        var since = ActivityRule.ActiveSince(Now, Week);
        Assert.True(ActivityRule.IsActive(since, Now, Week));
        Assert.False(ActivityRule.IsActive(since - 1, Now, Week));
    }
}
