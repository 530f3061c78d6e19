using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Behaviour that needs the real HTTP server (Kestrel): body size limits and what may go in a response header.</summary>
public sealed class RealServerTests(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task An_oversized_body_answers_413_problem()
    {
        var body = $$"""{"url":"https://example.com/{{new string('a', 20_000)}}"}""";

        using var response = await _client.PostRawAsync(body);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("larger", problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        // The limit is 8 KiB: a body with a URL near the 2,048-character maximum is well under it.
        var url = TestData.Url() + "?" + new string('q', 1900);

        var link = await _client.CreateLinkAsync(url);

        Assert.Equal(url, link.Url);
    }

    [Fact]
    public async Task Location_is_the_stored_URL_exactly_over_real_HTTP()
    {
        var url = $"https://example.com/a/../b?q=a%20b&x=%2F#frag-{Guid.NewGuid():N}";
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(url, response.Location());
    }

    [Theory]
    [InlineData("https://example.com/straße")]
    [InlineData("https://bücher.example/")]
    [InlineData("https://example.com/?q=日本語")]
    public async Task A_URL_with_non_ASCII_characters_is_either_refused_or_redirected_to(string url)
    {
        var target = $"{url}{(url.Contains('?', StringComparison.Ordinal) ? "&" : "?")}n={Guid.NewGuid():N}";
        using var create = await _client.PostLinkAsync(new NewLink(target));
        if (create.StatusCode != HttpStatusCode.Created)
        {
            await Api.ReadProblemAsync(create, HttpStatusCode.BadRequest);
            return;
        }

        var link = await Api.ReadCreatedAsync(create);
        using var response = await _client.GetPathAsync($"/{link.Code}");

        // HTTP header values are ASCII: an accepted link must redirect, to its URL in ASCII (percent-encoded, punycode host).
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri(target).AbsoluteUri, response.Location());
    }
}
