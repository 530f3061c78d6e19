using Atrium.Feed.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// A slow celebrity merge (docs/resilience.md, Feed): the home timeline answers without the celebrities' posts once
/// the merge overruns its budget, says so (<c>partial</c>, <c>omitted</c>), and is whole again once the merge is fast.
/// </summary>
public sealed class PartialTimelineTests(SlowCelebrityApp app) : IClassFixture<SlowCelebrityApp>
{
    [Fact]
    public async Task A_stalled_celebrity_merge_is_left_out_and_the_page_says_it_is_partial()
    {
        var star = await app.NewUserAsync();
        var regular = await app.NewUserAsync();
        var reader = await app.NewUserAsync();
        await reader.FollowAsync(star);
        await reader.FollowAsync(regular);
        await (await app.NewUserAsync()).FollowAsync(star);
        await (await app.NewUserAsync()).FollowAsync(star); // 3 followers: a celebrity, merged at read
        await reader.ActivateAsync();
        await star.PostAsync("from the star");
        await regular.PostAsync("from a regular");

        var whole = await Eventually.ReachesAsync(() => PageAsync(reader), p => p.Items.Count == 2, "both posts, merged");
        Assert.False(whole.Partial);
        Assert.Empty(whole.Omitted);

        app.CelebrityPosts.Stalled = true;
        try
        {
            var stalls = app.CelebrityPosts.Stalls;
            var partial = await PageAsync(reader);
            Assert.True(partial.Partial);
            Assert.Equal(["celebrities"], partial.Omitted);
            Assert.Equal(["from a regular"], partial.Items.Texts());
            Assert.Equal(stalls + 1, app.CelebrityPosts.Stalls); // one stalled read, given up once: not one per round
        }
        finally
        {
            app.CelebrityPosts.Stalled = false;
        }

        var again = await PageAsync(reader);
        Assert.False(again.Partial);
        Assert.Equal(["from a regular", "from the star"], again.Items.Texts());
    }

    [Fact]
    public async Task A_reader_who_follows_no_celebrity_is_never_partial_even_while_the_merge_stalls()
    {
        var regular = await app.NewUserAsync();
        var reader = await app.NewUserAsync();
        await reader.FollowAsync(regular);
        await reader.ActivateAsync();
        await regular.PostAsync("plain");
        await Eventually.ReachesAsync(() => PageAsync(reader), p => p.Items.Count == 1, "the pushed post");

        app.CelebrityPosts.Stalled = true;
        try
        {
            var page = await PageAsync(reader);
            Assert.False(page.Partial);
            Assert.Equal(["plain"], page.Items.Texts());
        }
        finally
        {
            app.CelebrityPosts.Stalled = false;
        }
    }

    private static Task<PartialFeedBody> PageAsync(FeedUser reader) => reader.GetAsync<PartialFeedBody>("/api/v1/feed");
}

/// <summary>The home timeline page with its completeness fields.</summary>
public sealed record PartialFeedBody(List<ItemBody> Items, string? NextCursor, bool Regenerating, bool Partial, List<string> Omitted);
