using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class VisitLimitTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_link_with_maxVisits_2_redirects_twice_then_answers_a_410_page()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(new NewLink(url, MaxVisits: 2));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await _client.GetPathAsync($"/{link.Code}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Found)
            {
                Assert.Equal(url, response.Location());
            }
            else
            {
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("visit limit", await response.TextAsync(), StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Equal([HttpStatusCode.Found, HttpStatusCode.Found, HttpStatusCode.Gone, HttpStatusCode.Gone], statuses);
    }

    [Fact]
    public async Task Concurrent_visits_never_exceed_the_limit()
    {
        const int limit = 5;
        const int visitors = 60;
        var link = await _client.CreateLinkAsync(new NewLink(TestData.Url(), MaxVisits: limit));

        var statuses = await Task.WhenAll(Enumerable.Range(0, visitors).Select(async _ =>
        {
            using var response = await _client.GetPathAsync($"/{link.Code}");
            return response.StatusCode;
        }));

        Assert.Equal(limit, statuses.Count(s => s == HttpStatusCode.Found));
        Assert.Equal(visitors - limit, statuses.Count(s => s == HttpStatusCode.Gone));
    }

    [Fact]
    public async Task The_preview_of_a_used_up_link_answers_410()
    {
        var link = await _client.CreateLinkAsync(new NewLink(TestData.Url(), MaxVisits: 1));
        using (var only = await _client.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, only.StatusCode);
        }

        using var preview = await _client.GetPathAsync($"/{link.Code}+");

        Assert.Equal(HttpStatusCode.Gone, preview.StatusCode);
    }
}
