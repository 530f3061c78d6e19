using Atrium.Feed.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests;

/// <summary>Pull mode (<c>Feed:Mode=Pull</c>): the same feed, built at read, with no timeline write at all.</summary>
public sealed class PullModeTests(PullApp app) : IClassFixture<PullApp>
{
    [Fact]
    public async Task The_feed_is_built_at_read_and_nothing_is_written_to_timelines()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        var writes = app.Timelines.Writes;
        var planned = app.Metrics.PostsPlanned;
        var ids = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            ids.Add((await author.PostAsync($"pulled {i}")).Post.Id);
        }

        var first = await reader.FeedAsync();
        Assert.False(first.Regenerating); // nothing to rebuild in pull mode
        var whole = await reader.WholeFeedAsync(limit: 4);
        ids.Reverse();
        Assert.Equal(ids, whole.Select(i => i.Post.Id));

        await Eventually.ReachesAsync(() => Task.FromResult(app.Metrics.PostsPlanned), p => p >= planned + 15, "the planner to see every post");
        Assert.Equal(0, app.Timelines.Writes - writes);
    }
}
