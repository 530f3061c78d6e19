using System.Net;
using Atrium.Browser.Tests.Support;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>How the server hands out the client: "/" with a strict CSP, assets by route, link pages untouched.</summary>
public sealed class ServingTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_page_is_served_at_the_root_with_a_strict_content_security_policy()
    {
        using var client = Fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("""<script type="module" src="/assets/app.js"></script>""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_revalidates_with_its_etag()
    {
        using var client = Fixture.CreateClient();
        using var first = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/assets/app.css", "text/css")]
    [InlineData("/assets/views/links.js", "text/javascript")]
    [InlineData("/assets/favicon.svg", "image/svg+xml")]
    public async Task Assets_are_served_by_route_with_an_etag(string path, string contentType)
    {
        using var client = Fixture.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task An_unknown_code_still_answers_the_404_page_not_the_client()
    {
        using var client = Fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/no-such-code", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Link not found", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/assets/app.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_asset_is_a_404_problem()
    {
        using var client = Fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/assets/nothing.js", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
