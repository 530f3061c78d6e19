using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary><c>Links:AllowPrivateTargets</c> (an intranet deployment) lets links lead to internal hosts, and nothing else.</summary>
public sealed class IntranetTargetTests(IntranetFixture fixture) : IClassFixture<IntranetFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("http://10.20.30.40/wiki")]
    [InlineData("http://192.168.1.5:8080/")]
    [InlineData("http://[fd00::5]/")]
    [InlineData("http://wiki.internal/start")]
    [InlineData("http://intranet/")]
    public async Task Private_targets_are_accepted_when_allowed(string url)
    {
        var link = await _client.CreateLinkAsync(url);

        using var redirect = await _client.GetPathAsync($"/{link.Code}");
        Assert.Equal(url, redirect.Location());
    }

    [Theory]
    [InlineData("javascript:alert(1)", "Only http:// and https://")]
    [InlineData("http://localhost:8080/", "this service")]
    [InlineData("https://www.evil.example/", "are not allowed")]
    [InlineData("http://0x7f.1.2.3.4/", "not a valid IPv4 address")]
    public async Task The_other_rules_still_hold(string url, string detailMentions)
    {
        using var response = await _client.PostLinkAsync(new NewLink(url));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.Ordinal);
    }
}
