using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// Activity on a fake clock: a follower who has not read for longer than <c>Feed:InactiveAfter</c> (7 days) is no
/// longer fanned out to, and their next read rebuilds the timeline (regenerating meanwhile) with what they missed.
/// </summary>
public sealed class InactivityTests(FakeClockApp app) : IClassFixture<FakeClockApp>
{
    [Fact]
    public async Task A_follower_away_for_more_than_a_week_is_skipped_then_rebuilt_on_return()
    {
        var author = await app.NewUserAsync();
        var regular = await app.NewUserAsync();
        var traveller = await app.NewUserAsync();
        await regular.FollowAsync(author);
        await traveller.FollowAsync(author);
        await regular.ActivateAsync();
        await traveller.ActivateAsync();
        var before = await author.PostAsync("before the trip");
        await app.StoredEventuallyAsync(traveller, s => s.Contains(before.Post.NumericId), "the traveller to get the first post pushed");

        await app.AdvanceAsync(TimeSpan.FromDays(8));
        await regular.ActivateAsync(); // the regular reads on day 8 (and is rebuilt too, as they were away 8 days)
        var during = await author.PostAsync("while travelling");
        await app.StoredEventuallyAsync(regular, s => s.Contains(during.Post.NumericId), "the regular reader to get the post pushed");
        Assert.DoesNotContain(during.Post.NumericId, (await app.StoredAsync(traveller))!);

        var back = await traveller.FeedAsync();
        Assert.True(back.Regenerating);
        Assert.Equal(["while travelling", "before the trip"], back.Items.Texts());
        var rebuilt = await traveller.ActivateAsync();
        Assert.Equal(["while travelling", "before the trip"], rebuilt.Items.Texts());
        Assert.Contains(during.Post.NumericId, (await app.StoredAsync(traveller))!);
    }
}
