using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class PreviewTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task The_preview_shows_the_target_without_redirecting()
    {
        var url = TestData.Url("preview");
        var link = await _client.CreateLinkAsync(url, TestData.Alias("pv"));

        using var response = await _client.GetPathAsync($"/{link.Code}+");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Location());
        var page = await response.TextAsync();
        Assert.Contains(url, page, StringComparison.Ordinal);
        Assert.Contains(link.Code, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_of_a_generated_code_works_too()
    {
        var url = TestData.Url("preview");
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}+");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(url, await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_HTML_escapes_an_ampersand()
    {
        var url = $"https://example.com/?a=1&b=2&id={Guid.NewGuid():N}";
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}+");
        var page = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("a=1&amp;b=2&amp;id=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("a=1&b=2", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_HTML_escapes_markup_in_the_target()
    {
        // Percent-encoded markup stays inert; raw quotes and angle brackets, if accepted, must be escaped.
        var encoded = "https://example.com/?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E";
        var raw = "https://example.com/?q=\"><script>alert(1)</script>";
        var encodedLink = await _client.CreateLinkAsync(encoded);
        using var rawCreate = await _client.PostLinkAsync(new NewLink(raw));

        using var encodedPreview = await _client.GetPathAsync($"/{encodedLink.Code}+");
        Assert.Contains(encoded, await encodedPreview.TextAsync(), StringComparison.Ordinal);

        if (rawCreate.StatusCode == HttpStatusCode.Created)
        {
            var rawLink = await Api.ReadCreatedAsync(rawCreate);
            using var rawPreview = await _client.GetPathAsync($"/{rawLink.Code}+");
            var page = await rawPreview.TextAsync();
            Assert.Equal(HttpStatusCode.OK, rawPreview.StatusCode);
            Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"><script>", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        }
        else
        {
            await Api.ReadProblemAsync(rawCreate, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task The_preview_does_not_count_a_visit()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(new NewLink(url, MaxVisits: 1));

        using var preview = await _client.GetPathAsync($"/{link.Code}+");
        using var follow = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Found, follow.StatusCode);
        Assert.Equal(url, follow.Location());
    }

    [Fact]
    public async Task The_preview_of_an_unknown_code_answers_a_404_page()
    {
        using var response = await _client.GetPathAsync($"/{TestData.Alias("nope")}+");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
