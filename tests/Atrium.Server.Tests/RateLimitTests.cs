using System.Globalization;
using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Only one test: the bucket is per client and every request of this class comes from the same one.</summary>
public sealed class RateLimitTests(StrictRateLimitFixture fixture) : IClassFixture<StrictRateLimitFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task Creating_beyond_the_burst_answers_429_with_Retry_After_and_other_endpoints_still_answer()
    {
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await _client.CreateLinkAsync(TestData.Url())).Code);
        }

        using var limited = await _client.PostLinkAsync(new NewLink(TestData.Url()));

        var problem = await Api.ReadProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("retry", problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.True(limited.Headers.TryGetValues("Retry-After", out var values), "429 without a Retry-After header");
        var seconds = int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);

        // Reading links and following them draw on other budgets.
        Assert.Equal(codes[0], (await _client.GetLinkAsync(codes[0])).Code);
        using var redirect = await _client.GetPathAsync($"/{codes[1]}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
    }
}
