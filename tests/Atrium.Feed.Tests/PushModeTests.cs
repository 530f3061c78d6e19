using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>Push mode (<c>Feed:Mode=Push</c>): every author is fanned out to, celebrities included.</summary>
public sealed class PushModeTests(PushApp app) : IClassFixture<PushApp>
{
    [Fact]
    public async Task A_celebritys_post_is_pushed_like_anyone_elses()
    {
        var star = await app.NewUserAsync();
        var reader = await app.NewUserAsync();
        await reader.FollowAsync(star);
        await (await app.NewUserAsync()).FollowAsync(star); // 2 followers: a celebrity by the threshold
        await reader.ActivateAsync();

        var post = await star.PostAsync("pushed anyway");
        await app.StoredEventuallyAsync(reader, s => s.Contains(post.Post.NumericId), "the celebrity's post in the reader's timeline");
        Assert.Equal(["pushed anyway"], (await reader.FeedAsync()).Items.Texts());
    }
}
