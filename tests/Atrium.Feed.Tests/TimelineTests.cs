using Atrium.Feed.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests;

/// <summary>The home timeline over HTTP: ordering, paging while posts arrive, backfill, unfollow, delete, rebuild.</summary>
public sealed class TimelineTests(FeedApp app) : IClassFixture<FeedApp>
{
    [Fact]
    public async Task The_feed_holds_followed_and_own_posts_newest_first_and_nothing_else()
    {
        var reader = await app.NewUserAsync();
        var friend = await app.NewUserAsync();
        var stranger = await app.NewUserAsync();
        await reader.FollowAsync(friend);
        await reader.ActivateAsync();

        await friend.PostAsync("friend 1");
        await reader.PostAsync("mine 1");
        await stranger.PostAsync("stranger 1");
        await friend.PostAsync("friend 2");

        var feed = await reader.FeedEventuallyAsync(f => f.Items.Count >= 3, "the friend's posts to reach the reader");
        Assert.Equal(["friend 2", "mine 1", "friend 1"], feed.Items.Texts());
        Assert.False(feed.Regenerating);
        Assert.Null(feed.NextCursor);
        Assert.Equal(friend.Username, feed.Items[0].Author.Username);
    }

    [Fact]
    public async Task Pages_have_no_gaps_or_repeats_while_new_posts_arrive()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        var other = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.FollowAsync(other);
        await reader.ActivateAsync();
        var posted = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var who = i % 3 == 0 ? other : author;
            posted.Add((await who.PostAsync($"old {i}")).Post.Text);
        }

        await Eventually.ReachesAsync(() => reader.FeedAsync(limit: 40), f => f.Items.Count == 24, "all 24 posts to reach the reader");

        var seen = new List<string>();
        string? cursor = null;
        var page = 0;
        do
        {
            var body = await reader.FeedAsync(limit: 5, cursor: cursor);
            seen.AddRange(body.Items.Texts());
            cursor = body.NextCursor;
            await author.PostAsync($"new {page++}"); // arrives between pages, newer than everything paged
        }
        while (cursor is not null);

        posted.Reverse();
        Assert.Equal(posted, seen);
        var top = await reader.FeedEventuallyAsync(f => f.Items[0].Post.Text == $"new {page - 1}", "the newest post on top");
        Assert.Equal(20, top.Items.Count);
    }

    [Fact]
    public async Task Since_returns_only_newer_posts()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        var first = await author.PostAsync("first");
        await reader.FeedEventuallyAsync(f => f.Items.Count == 1, "the first post");
        await author.PostAsync("second");
        await author.PostAsync("third");

        var newer = await Eventually.ReachesAsync(
            () => reader.FeedAsync(since: first.Post.Id), f => f.Items.Count == 2, "two posts newer than the first");
        Assert.Equal(["third", "second"], newer.Items.Texts());
        Assert.Null(newer.NextCursor);
        Assert.Equal(["third"], (await reader.FeedAsync(limit: 1, since: first.Post.Id)).Items.Texts());
    }

    [Fact]
    public async Task Following_backfills_the_followees_newest_posts_and_unfollowing_removes_them()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await author.PostAsync($"before the follow {i}")).Post.NumericId);
        }

        await reader.ActivateAsync();
        Assert.Empty((await reader.FeedAsync()).Items);
        await reader.FollowAsync(author);

        // The read comes from the stored timeline: only the backfill can put them there.
        await app.StoredEventuallyAsync(reader, s => ids.All(s.Contains), "the backfill into the reader's timeline");
        var feed = await reader.FeedAsync();
        Assert.Equal(["before the follow 2", "before the follow 1", "before the follow 0"], feed.Items.Texts());

        await reader.UnfollowAsync(author);
        Assert.Empty((await reader.FeedAsync()).Items); // filtered at once
        await app.StoredEventuallyAsync(reader, s => !s.Any(ids.Contains), "the unfollowed author's posts to leave the stored timeline");
    }

    [Fact]
    public async Task A_deleted_post_leaves_every_feed()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        var keep = await author.PostAsync("keep");
        var drop = await author.PostAsync("drop");
        await reader.FeedEventuallyAsync(f => f.Items.Count == 2, "both posts");

        Assert.Equal(System.Net.HttpStatusCode.NoContent, await author.SendAsync(HttpMethod.Delete, $"/api/v1/posts/{drop.Post.Id}"));

        var feed = await reader.FeedEventuallyAsync(f => f.Items.Count == 1, "the deleted post to leave the feed");
        Assert.Equal(keep.Post.Id, feed.Items[0].Post.Id);
        Assert.Equal(["keep"], (await author.FeedAsync()).Items.Texts());
    }

    [Fact]
    public async Task An_inactive_follower_is_skipped_and_their_timeline_is_rebuilt_on_their_next_read()
    {
        var author = await app.NewUserAsync();
        var active = await app.NewUserAsync();
        var away = await app.NewUserAsync(); // follows, but has never read the feed: not active
        await active.FollowAsync(author);
        await away.FollowAsync(author);
        await active.ActivateAsync();
        var posts = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            posts.Add((await author.PostAsync($"while away {i}")).Post.NumericId);
        }

        // One fan-out batch carries every follower the planner picked: once the active one has the posts, it is done.
        await app.StoredEventuallyAsync(active, s => posts.All(s.Contains), "the active follower's timeline");
        Assert.False((await app.StoredAsync(away))?.Any(posts.Contains) ?? false, "the inactive follower was fanned out to");

        var first = await away.FeedAsync();
        Assert.True(first.Regenerating);
        Assert.Equal(["while away 2", "while away 1", "while away 0"], first.Items.Texts()); // from the database meanwhile

        var rebuilt = await away.ActivateAsync();
        Assert.Equal(first.Items.Texts(), rebuilt.Items.Texts());
        var stored = await app.StoredAsync(away);
        Assert.NotNull(stored);
        Assert.True(posts.All(stored.Contains), "the rebuild did not store the posts");

        // Active now: the next post is pushed to them.
        var next = await author.PostAsync("after the return");
        await app.StoredEventuallyAsync(away, s => s.Contains(next.Post.NumericId), "the returned follower to get the next post pushed");
    }
}
