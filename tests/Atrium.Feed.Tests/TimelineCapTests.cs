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
}
