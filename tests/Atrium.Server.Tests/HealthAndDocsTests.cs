using System.Net;
using System.Text.Json;
using Atrium.Server.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Server.Tests;

public sealed class HealthAndDocsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("/alive")]
    [InlineData("/health")]
    public async Task Health_endpoints_answer_200_Healthy(string path)
    {
        using var response = await _client.GetPathAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.TextAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_links_API()
    {
        using var response = await _client.GetPathAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.TextAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/links", paths);
        Assert.Contains("/api/v1/links/{code}", paths);
        Assert.Contains("/api/v1/links/{code}/stats", paths);
        Assert.Contains("/api/v1/admin/dead-letters", paths);
        var create = document.RootElement.GetProperty("paths").GetProperty("/api/v1/links").GetProperty("post");
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task The_API_reference_page_answers_200_HTML()
    {
        // The reference lives under /docs/api/; /docs/api redirects there.
        using var bare = await _client.GetPathAsync("/docs/api");
        Assert.True(bare.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found or HttpStatusCode.MovedPermanently, $"/docs/api answered {(int)bare.StatusCode}");
        var path = bare.StatusCode == HttpStatusCode.OK
            ? "/docs/api"
            : new Uri(new Uri("http://localhost/docs/api"), bare.Location()).AbsolutePath; // Location may be relative ("api/")
        Assert.StartsWith("/docs/api", path, StringComparison.Ordinal);

        using var response = await _client.GetPathAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.TextAsync();
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.Contains("scalar.js", page, StringComparison.Ordinal);
        using var script = await _client.GetPathAsync("/docs/api/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task The_home_page_answers_200_HTML()
    {
        using var response = await _client.GetPathAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/docs/api", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_created_links_and_redirects_in_Prometheus_format()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        using (var redirect = await _client.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        }

        var scrape = await Eventually.ReachesAsync(
            ScrapeAsync,
            text => text.Contains("atrium_links_created_total", StringComparison.Ordinal)
                && text.Contains("atrium_links_redirects_total", StringComparison.Ordinal),
            "the links counters on /metrics");

        Assert.Matches(@"(?m)^atrium_links_created_total(\{[^}]*\})? [1-9]", scrape);
        Assert.Matches(@"(?m)^atrium_links_redirects_total(\{[^}]*\})? [1-9]", scrape);
        Assert.Contains("atrium_links_cache_", scrape, StringComparison.Ordinal);
        Assert.Contains("atrium_outbox_lag", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_API_path_answers_404_problem()
    {
        using var response = await _client.GetPathAsync("/api/v1/nothing/here");

        await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unsupported_method_answers_405_problem()
    {
        using var response = await _client.SendAsync(HttpMethod.Put, "/api/v1/links");

        await Api.ReadProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await _client.GetPathAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.TextAsync();
    }
}
