using Atrium.Feed.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests;

/// <summary>Hybrid fan-out: a celebrity's posts are merged in at read, not pushed; the flag has hysteresis.</summary>
public sealed class CelebrityTests(CelebrityApp app) : IClassFixture<CelebrityApp>
{
    [Fact]
    public async Task A_celebritys_posts_are_merged_at_read_in_order_with_pushed_ones()
    {
        var star = await app.NewUserAsync();
        var regular = await app.NewUserAsync();
        var reader = await app.NewUserAsync();
        await reader.FollowAsync(star);
        await reader.FollowAsync(regular);
        await (await app.NewUserAsync()).FollowAsync(star);
        await (await app.NewUserAsync()).FollowAsync(star); // 3 followers: a celebrity
        await reader.ActivateAsync();

        var s1 = await star.PostAsync("star 1");
        var r1 = await regular.PostAsync("regular 1");
        var s2 = await star.PostAsync("star 2");
        var r2 = await regular.PostAsync("regular 2");

        var feed = await reader.FeedEventuallyAsync(f => f.Items.Count == 4, "all four posts");
        Assert.Equal(["regular 2", "star 2", "regular 1", "star 1"], feed.Items.Texts());
        // The page can be whole before the pushes land (a timeline that runs out continues in the database).
        var stored = await app.StoredEventuallyAsync(
            reader, s => s.Contains(r1.Post.NumericId) && s.Contains(r2.Post.NumericId), "the regular's posts pushed");
        Assert.NotNull(stored);
        Assert.DoesNotContain(s1.Post.NumericId, stored);
        Assert.DoesNotContain(s2.Post.NumericId, stored);

        // Paging across the merge: no gaps, no repeats.
        var first = await reader.FeedAsync(limit: 3);
        var second = await reader.FeedAsync(limit: 3, cursor: first.NextCursor);
        Assert.Equal(feed.Items.Texts(), first.Items.Concat(second.Items).Texts());
    }

    [Fact]
    public async Task An_author_stops_being_a_celebrity_only_below_the_lower_threshold()
    {
        var star = await app.NewUserAsync();
        var reader = await app.NewUserAsync();
        var fan2 = await app.NewUserAsync();
        var fan3 = await app.NewUserAsync();
        await reader.FollowAsync(star);
        await fan2.FollowAsync(star);
        await fan3.FollowAsync(star);
        await reader.ActivateAsync();

        await fan3.UnfollowAsync(star); // 2 followers: not below the lower threshold (2), still a celebrity
        var planned = app.Metrics.PostsPlanned;
        var stillMerged = await star.PostAsync("still a star");
        await reader.FeedEventuallyAsync(f => f.Items.Count == 1, "the merged post");
        await Eventually.ReachesAsync(() => Task.FromResult(app.Metrics.PostsPlanned), p => p > planned, "the planner to handle the post");
        Assert.DoesNotContain(stillMerged.Post.NumericId, (await app.StoredAsync(reader))!);

        await fan2.UnfollowAsync(star); // 1 follower: below the lower threshold, ordinary again
        var pushed = await star.PostAsync("ordinary again");
        await app.StoredEventuallyAsync(
            reader, s => s.Contains(pushed.Post.NumericId) && s.Contains(stillMerged.Post.NumericId),
            "the ordinary author's posts, old and new, to be pushed");
        Assert.Equal(["ordinary again", "still a star"], (await reader.FeedAsync()).Items.Texts());
    }
}
