using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class DisableTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task DELETE_answers_204_and_the_link_then_answers_a_410_page()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        using var delete = await _client.DeletePathAsync($"/api/v1/links/{link.Code}");
        using var follow = await _client.GetPathAsync($"/{link.Code}");
        using var head = await _client.SendAsync(HttpMethod.Head, $"/{link.Code}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, follow.StatusCode);
        Assert.Equal("text/html", follow.Content.Headers.ContentType?.MediaType);
        Assert.Null(follow.Location());
        Assert.Contains("disabled", await follow.TextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
    }

    [Fact]
    public async Task Disabling_a_link_that_was_just_followed_takes_effect_at_once()
    {
        var link = await _client.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));
        using (var warm = await _client.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, warm.StatusCode);
        }

        using var delete = await _client.DeletePathAsync($"/api/v1/links/{link.Code}");
        using var follow = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, follow.StatusCode);
    }

    [Fact]
    public async Task Metadata_shows_when_the_link_was_disabled_and_a_second_DELETE_keeps_it()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        using (var first = await _client.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var disabled = await _client.GetLinkAsync(link.Code);
        using (var second = await _client.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        }

        var again = await _client.GetLinkAsync(link.Code);
        Assert.NotNull(disabled.DisabledAt);
        Assert.InRange(disabled.DisabledAt.Value, link.CreatedAt, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(disabled.DisabledAt, again.DisabledAt);
    }

    [Fact]
    public async Task The_preview_of_a_disabled_link_answers_410()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        using (var delete = await _client.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var preview = await _client.GetPathAsync($"/{link.Code}+");

        Assert.Equal(HttpStatusCode.Gone, preview.StatusCode);
        Assert.DoesNotContain(link.Url, await preview.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DELETE_of_an_unknown_link_answers_404_problem()
    {
        var code = TestData.Alias("missing");

        using var response = await _client.DeletePathAsync($"/api/v1/links/{code}");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(code, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_alias_stays_taken()
    {
        var alias = TestData.Alias("gone");
        await _client.CreateLinkAsync(TestData.Url(), alias);
        using (var delete = await _client.DeletePathAsync($"/api/v1/links/{alias}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var reuse = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias));

        await Api.ReadProblemAsync(reuse, HttpStatusCode.Conflict);
    }
}
