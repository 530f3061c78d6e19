using System.Net;
using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>Follows, their lists and counts, and blocks over HTTP.</summary>
public sealed class FollowTests(FeedApp app) : IClassFixture<FeedApp>
{
    [Fact]
    public async Task Following_is_idempotent_and_counted()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        await alice.FollowAsync(bob);
        await alice.FollowAsync(bob);

        var ofBob = await alice.GetAsync<SocialBody>($"/api/v1/users/{bob.Username}/social");
        Assert.Equal((1L, 0L, true, false), (ofBob.Followers, ofBob.Following, ofBob.FollowedByMe, ofBob.IsMe));
        var ofAlice = await alice.GetAsync<SocialBody>($"/api/v1/users/{alice.Username}/social");
        Assert.Equal((0L, 1L, false, true), (ofAlice.Followers, ofAlice.Following, ofAlice.FollowedByMe, ofAlice.IsMe));

        await alice.UnfollowAsync(bob);
        await alice.UnfollowAsync(bob);
        ofBob = await alice.GetAsync<SocialBody>($"/api/v1/users/{bob.Username}/social");
        Assert.Equal((0L, false), (ofBob.Followers, ofBob.FollowedByMe));
    }

    [Fact]
    public async Task Following_oneself_is_400_and_an_unknown_user_404()
    {
        var alice = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.BadRequest, await alice.SendAsync(HttpMethod.Put, $"/api/v1/users/{alice.Username}/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await alice.SendAsync(HttpMethod.Put, "/api/v1/users/nobody-here-at-all/follow"));
        await alice.GetProblemAsync("/api/v1/users/nobody-here-at-all/followers", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Follower_lists_page_newest_first_without_gaps_or_repeats()
    {
        var star = await app.NewUserAsync();
        var fans = new List<FeedUser>();
        for (var i = 0; i < 5; i++)
        {
            var fan = await app.NewUserAsync();
            await fan.FollowAsync(star);
            fans.Add(fan);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await star.GetAsync<PageBody<AuthorBody>>($"/api/v1/users/{star.Username}/followers?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Items.Select(a => a.Username));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(fans.Select(f => f.Username).Reverse(), seen);
        Assert.Equal(3, pages);

        var following = await fans[0].GetAsync<PageBody<AuthorBody>>($"/api/v1/users/{fans[0].Username}/following");
        Assert.Equal([star.Username], following.Items.Select(a => a.Username));
        Assert.Null(following.NextCursor);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=41")]
    [InlineData("limit=abc")]
    [InlineData("cursor=bogus!")]
    public async Task Bad_paging_is_400(string query)
    {
        var alice = await app.NewUserAsync();
        await alice.GetProblemAsync($"/api/v1/users/{alice.Username}/followers?{query}", HttpStatusCode.BadRequest);
        await alice.GetProblemAsync($"/api/v1/users/{alice.Username}/posts?{query}", HttpStatusCode.BadRequest);
        await alice.GetProblemAsync($"/api/v1/feed?{query}", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_profile_lists_its_posts_newest_first_in_pages()
    {
        var alice = await app.NewUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await alice.PostAsync($"post {i}");
        }

        var bob = await app.NewUserAsync();
        var first = await bob.GetAsync<PageBody<ItemBody>>($"/api/v1/users/{alice.Username}/posts?limit=3");
        var second = await bob.GetAsync<PageBody<ItemBody>>($"/api/v1/users/{alice.Username}/posts?limit=3&cursor={first.NextCursor}");
        Assert.Equal(["post 4", "post 3", "post 2", "post 1", "post 0"], first.Items.Concat(second.Items).Texts());
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task A_block_ends_follows_both_ways_hides_posts_and_forbids_following()
    {
        var alice = await app.NewUserAsync();
        var troll = await app.NewUserAsync();
        await alice.FollowAsync(troll);
        await troll.FollowAsync(alice);
        await alice.ActivateAsync();
        var post = await troll.PostAsync("something rude");
        await alice.FeedEventuallyAsync(f => f.Items.Any(i => i.Post.Id == post.Post.Id), "alice to see the troll's post before the block");

        await alice.BlockAsync(troll);

        Assert.DoesNotContain((await alice.FeedAsync()).Items, i => i.Post.Id == post.Post.Id);
        await alice.GetProblemAsync($"/api/v1/posts/{post.Post.Id}", HttpStatusCode.NotFound);
        await alice.GetProblemAsync($"/api/v1/users/{troll.Username}/posts", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, await troll.SendAsync(HttpMethod.Put, $"/api/v1/users/{alice.Username}/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await alice.SendAsync(HttpMethod.Put, $"/api/v1/users/{troll.Username}/follow"));
        var social = await alice.GetAsync<SocialBody>($"/api/v1/users/{alice.Username}/social");
        Assert.Equal((0L, 0L), (social.Followers, social.Following));

        Assert.Equal(HttpStatusCode.NoContent, await alice.SendAsync(HttpMethod.Delete, $"/api/v1/users/{troll.Username}/block"));
        await alice.FollowAsync(troll);
    }
}
