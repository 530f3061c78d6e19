using Atrium.Feed.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests;

/// <summary>
/// What a post costs in timeline writes, counted from the store (its write counter and what each timeline holds):
/// exactly one per active follower for an ordinary author (in batches), none for a celebrity. The tests of this
/// class run one after another on their own app, so the store's counter sees only their writes.
/// </summary>
public sealed class FanOutCostTests(FanOutApp app) : IClassFixture<FanOutApp>
{
    [Fact]
    public async Task An_ordinary_post_costs_exactly_one_write_per_active_follower()
    {
        var author = await app.NewUserAsync();
        var active = new List<FeedUser>();
        var inactive = new List<FeedUser>();
        for (var i = 0; i < 3; i++)
        {
            var follower = await app.NewUserAsync();
            await follower.FollowAsync(author);
            active.Add(follower);
        }

        for (var i = 0; i < 2; i++)
        {
            var follower = await app.NewUserAsync();
            await follower.FollowAsync(author);
            inactive.Add(follower);
        }

        foreach (var follower in active)
        {
            await follower.ActivateAsync();
        }

        var writes = app.Timelines.Writes;
        var post = (await author.PostAsync("one write each")).Post.NumericId;
        foreach (var follower in active)
        {
            await app.StoredEventuallyAsync(follower, s => s.Contains(post), $"{follower.Username}'s timeline to hold the post");
        }

        // The store counts a batch once its script has returned, a moment after Redis holds the entries.
        await Eventually.ReachesAsync(() => Task.FromResult(app.Timelines.Writes - writes), w => w >= 3, "the store to count its writes");
        Assert.Equal(3, app.Timelines.Writes - writes);
        foreach (var follower in inactive)
        {
            Assert.False((await app.StoredAsync(follower))?.Contains(post) ?? false, "an inactive follower was written to");
        }
    }

    [Fact]
    public async Task A_celebrity_post_costs_no_timeline_write_and_still_reaches_every_follower()
    {
        var star = await app.NewUserAsync();
        var followers = new List<FeedUser>();
        for (var i = 0; i < 6; i++)
        {
            var follower = await app.NewUserAsync();
            await follower.FollowAsync(star);
            followers.Add(follower);
        }

        foreach (var follower in followers)
        {
            await follower.ActivateAsync();
        }

        var writes = app.Timelines.Writes;
        var planned = app.Metrics.PostsPlanned;
        var post = await star.PostAsync("merged, not pushed");
        await Eventually.ReachesAsync(() => Task.FromResult(app.Metrics.PostsPlanned), p => p > planned, "the planner to handle the post");

        Assert.Equal(0, app.Timelines.Writes - writes);
        foreach (var follower in followers)
        {
            Assert.DoesNotContain(post.Post.NumericId, (await app.StoredAsync(follower))!);
            Assert.Equal([post.Post.Id], (await follower.FeedAsync()).Items.Select(i => i.Post.Id));
        }
    }
}
