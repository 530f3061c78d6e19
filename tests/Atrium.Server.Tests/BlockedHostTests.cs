using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>The host blocklist (<c>Links:BlockedHosts</c>) and extra own hosts (<c>Links:OwnHosts</c>) from settings.</summary>
public sealed class BlockedHostTests(BlockedHostsFixture fixture) : IClassFixture<BlockedHostsFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("https://EVIL.example/phish")]
    [InlineData("http://www.evil.example:8080/phish")]
    [InlineData("https://evil.example./phish")]
    public async Task A_blocked_host_and_its_subdomains_answer_400(string url)
    {
        using var response = await _client.PostLinkAsync(new NewLink(url));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("evil.example", problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not allowed", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://notevil.example/")]
    [InlineData("https://evil.example.org/")]
    public async Task Similar_hosts_are_not_blocked(string url)
    {
        var link = await _client.CreateLinkAsync(url);

        Assert.Equal(url, link.Url);
    }

    [Fact]
    public async Task A_configured_own_host_answers_400()
    {
        using var response = await _client.PostLinkAsync(new NewLink("https://atr.example/abc"));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("this service", problem.Detail, StringComparison.Ordinal);
    }
}
