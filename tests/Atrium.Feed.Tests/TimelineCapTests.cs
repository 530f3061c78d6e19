using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>The timeline cap: a timeline keeps the newest N ids; reading past them goes on in the database.</summary>
public sealed class TimelineCapTests(CappedApp app) : IClassFixture<CappedApp>
{
    [Fact]
    public async Task A_timeline_keeps_the_newest_posts_and_reading_past_the_cap_falls_back_to_the_database()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add((await author.PostAsync($"post {i}")).Post.NumericId);
        }

        var newest = ids.OrderDescending().Take(10).ToList();
        var stored = await app.StoredEventuallyAsync(reader, s => newest.All(s.Contains), "the newest 10 posts in the timeline");
        Assert.Equal(newest, stored);

        var whole = await reader.WholeFeedAsync(limit: 7);
        Assert.Equal(ids.OrderDescending().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), whole.Select(i => i.Post.Id));
    }

    [Fact]
    public async Task Reading_past_the_cap_after_an_unfollow_and_a_block_goes_on_in_the_database()
    {
        var reader = await app.NewUserAsync();
        var kept = await app.NewUserAsync();
        var unfollowed = await app.NewUserAsync();
        var blocked = await app.NewUserAsync();
        foreach (var followee in new[] { kept, unfollowed, blocked })
        {
            await reader.FollowAsync(followee);
        }

        await reader.ActivateAsync();
        var keptIds = new List<long>();
        var newest = 0L;
        for (var i = 0; i < 8; i++)
        {
            keptIds.Add((await kept.PostAsync($"kept {i}")).Post.NumericId);
            await unfollowed.PostAsync($"unfollowed {i}");
            newest = (await blocked.PostAsync($"blocked {i}")).Post.NumericId;
        }

        await app.StoredEventuallyAsync(reader, s => s.Count == 10 && s[0] == newest, "the timeline to be full (10 of 24 posts)");
        await reader.UnfollowAsync(unfollowed);
        await reader.BlockAsync(blocked);
        await app.StoredEventuallyAsync(reader, s => s.All(keptIds.Contains), "the unfollowed and blocked authors' posts to leave the timeline");

        var whole = await reader.WholeFeedAsync(limit: 3);
        Assert.Equal(keptIds.OrderDescending(), whole.Select(i => i.Post.NumericId));
    }
}
