using System.Net;
using Atrium.Feed.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests;

/// <summary>Creating, reading and deleting posts over HTTP.</summary>
public sealed class PostTests(FeedApp app) : IClassFixture<FeedApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_post_is_created_normalised_and_can_be_read_back()
    {
        var alice = await app.NewUserAsync();
        using var response = await alice.PostTextAsync("  Cafe\u0301 au lait\n");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await FeedApi.ReadAsync<ItemBody>(response);
        Assert.Equal("Caf\u00e9 au lait", item.Post.Text);
        Assert.Equal(alice.Username, item.Author.Username);
        Assert.Equal($"/api/v1/posts/{item.Post.Id}", response.Headers.Location?.OriginalString);
        Assert.True(item.Post.NumericId > 0);
        Assert.InRange(item.Post.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));

        var bob = await app.NewUserAsync();
        var read = await bob.GetAsync<ItemBody>($"/api/v1/posts/{item.Post.Id}");
        Assert.Equal(item, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ring \u0007 the bell")]
    [InlineData(null)]
    public async Task Invalid_text_is_refused_with_a_problem(string? text)
    {
        var alice = await app.NewUserAsync();
        using var response = await alice.PostTextAsync(text);
        var problem = await FeedApi.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("text", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_of_500_characters_is_accepted_and_501_refused()
    {
        var alice = await app.NewUserAsync();
        await alice.PostAsync(new string('x', 500));
        using var response = await alice.PostTextAsync(new string('x', 501));
        await FeedApi.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_fields_and_missing_bodies_are_refused()
    {
        var alice = await app.NewUserAsync();
        using var unknown = await alice.Client.PostAsync(
            FeedApi.Relative("/api/v1/posts"), new StringContent("""{"text":"hi","pinned":true}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        await FeedApi.ProblemAsync(unknown, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_the_author_deletes_a_post_and_then_it_is_gone()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var item = await alice.PostAsync("short-lived");
        var path = $"/api/v1/posts/{item.Post.Id}";

        Assert.Equal(HttpStatusCode.NotFound, await bob.SendAsync(HttpMethod.Delete, path));
        Assert.Equal(HttpStatusCode.OK, await bob.SendAsync(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.NoContent, await alice.SendAsync(HttpMethod.Delete, path));
        await alice.GetProblemAsync(path, HttpStatusCode.NotFound);
        await Eventually.ReachesAsync(() => bob.SendAsync(HttpMethod.Get, path), s => s == HttpStatusCode.NotFound, "the deleted post to be gone for bob");
        Assert.Equal(HttpStatusCode.NotFound, await alice.SendAsync(HttpMethod.Delete, path));
        var social = await alice.GetAsync<SocialBody>($"/api/v1/users/{alice.Username}/social");
        Assert.Equal(0, social.Posts);
    }

    [Theory]
    [InlineData("/api/v1/posts/123456789")]
    [InlineData("/api/v1/posts/not-an-id")]
    [InlineData("/api/v1/posts/-5")]
    public async Task Unknown_posts_are_404(string path)
    {
        var alice = await app.NewUserAsync();
        await alice.GetProblemAsync(path, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Everything_needs_a_signed_in_user()
    {
        using var anonymous = app.CreateClient();
        foreach (var path in new[] { "/api/v1/feed", "/api/v1/posts/1", "/api/v1/users/someone/followers" })
        {
            using var response = await anonymous.GetAsync(FeedApi.Relative(path), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
