using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>
/// A post whose fan-out is held up in the queue still reaches a reader who polls with <c>since</c> (the newest post
/// they have), even when a newer post (their own) reached them first.
/// </summary>
public sealed class LatePushTests(LateFanOutApp app) : IClassFixture<LateFanOutApp>
{
    [Fact]
    public async Task A_post_pushed_late_still_appears_to_a_reader_polling_with_since()
    {
        var reader = await app.NewUserAsync();
        var author = await app.NewUserAsync();
        await reader.FollowAsync(author);
        await reader.ActivateAsync();
        await reader.PostAsync("mine, first");
        var first = await reader.FeedAsync();
        Assert.Equal(["mine, first"], first.Items.Texts());
        var seen = first.Items.ToList();

        var late = await author.PostAsync("pushed late"); // its fan-out batch fails: not in the timeline
        await reader.PostAsync("mine, second");
        var poll = await reader.FeedAsync(since: seen.Max(i => i.Post.NumericId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        seen.AddRange(poll.Items);

        await app.PushAsync(reader, late.Post, author); // the backlog drains
        poll = await reader.FeedAsync(since: seen.Max(i => i.Post.NumericId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        seen.AddRange(poll.Items);

        Assert.Contains("pushed late", seen.Texts());
        Assert.Equal(3, seen.Select(i => i.Post.Id).Distinct().Count());
    }
}
