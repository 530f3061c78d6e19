using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Server.Tests;

public sealed class StatsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_new_link_has_no_clicks()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        var stats = await _client.GetStatsAsync(link.Code);

        Assert.Equal(link.Code, stats.Code);
        Assert.Equal(30, stats.Days);
        Assert.Equal(0, stats.Total);
        Assert.Equal(0, stats.Humans);
        Assert.Equal(0, stats.Bots);
        Assert.Empty(stats.PerDay);
        Assert.Empty(stats.TopReferrers);
        Assert.Empty(stats.Browsers);
    }

    [Fact]
    public async Task Clicks_are_counted_by_humans_and_bots_day_referrer_host_and_browser()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        (string Agent, string? Referrer)[] clicks =
        [
            (UserAgents.Chrome, "https://news.ycombinator.com/item?id=1"),
            (UserAgents.Chrome, "https://news.ycombinator.com/item?id=2"),
            (UserAgents.Chrome, null),
            (UserAgents.Firefox, "https://www.Google.com/search?q=atrium"),
            (UserAgents.Firefox, "https://www.google.com/"),
            (UserAgents.Safari, "https://t.co/abc"),
            (UserAgents.Edge, null),
            (UserAgents.Googlebot, null),
            (UserAgents.Googlebot, null),
            (UserAgents.FacebookPreview, "https://www.facebook.com/"),
        ];

        var dayBefore = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var (agent, referrer) in clicks)
        {
            using var response = await _client.SendAsync(HttpMethod.Get, $"/{link.Code}", agent, referrer);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        var dayAfter = DateOnly.FromDateTime(DateTime.UtcNow);

        var stats = await Eventually.ReachesAsync(
            () => _client.GetStatsAsync(link.Code), s => s.Total >= clicks.Length, $"{clicks.Length} clicks to be counted");

        Assert.Equal(10, stats.Total);
        Assert.Equal(7, stats.Humans);
        Assert.Equal(3, stats.Bots);

        Assert.Equal(10, stats.PerDay.Sum(d => d.Clicks));
        Assert.Equal(7, stats.PerDay.Sum(d => d.Humans));
        Assert.Equal(3, stats.PerDay.Sum(d => d.Bots));
        Assert.All(stats.PerDay, d => Assert.InRange(d.Date, dayBefore, dayAfter));
        if (dayBefore == dayAfter)
        {
            Assert.Equal(new DayBody(dayBefore, 10, 7, 3), Assert.Single(stats.PerDay));
        }

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["(direct)"] = 4,
                ["news.ycombinator.com"] = 2,
                ["www.google.com"] = 2,
                ["t.co"] = 1,
                ["www.facebook.com"] = 1,
            },
            stats.TopReferrers.ToDictionary(r => r.Host, r => r.Clicks));
        Assert.Equal("(direct)", stats.TopReferrers[0].Host);

        Assert.Equal(
            new Dictionary<string, long> { ["Chrome"] = 3, ["Firefox"] = 2, ["Safari"] = 1, ["Edge"] = 1 },
            stats.Browsers.ToDictionary(b => b.Family, b => b.Clicks));
        Assert.Equal("Chrome", stats.Browsers[0].Family);
    }

    [Fact]
    public async Task Googlebot_curl_and_a_missing_user_agent_count_as_bots()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        foreach (var agent in new[] { UserAgents.Googlebot, UserAgents.Curl, null })
        {
            using var response = await _client.SendAsync(HttpMethod.Get, $"/{link.Code}", agent);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        var stats = await Eventually.ReachesAsync(() => _client.GetStatsAsync(link.Code), s => s.Total >= 3, "3 clicks to be counted");

        Assert.Equal(3, stats.Total);
        Assert.Equal(3, stats.Bots);
        Assert.Equal(0, stats.Humans);
        Assert.Empty(stats.Browsers);
    }

    [Fact]
    public async Task Clicks_of_one_link_do_not_count_for_another()
    {
        var clicked = await _client.CreateLinkAsync(TestData.Url());
        var quiet = await _client.CreateLinkAsync(TestData.Url());
        using (var response = await _client.SendAsync(HttpMethod.Get, $"/{clicked.Code}", UserAgents.Chrome))
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        await Eventually.ReachesAsync(() => _client.GetStatsAsync(clicked.Code), s => s.Total >= 1, "the click to be counted");

        Assert.Equal(0, (await _client.GetStatsAsync(quiet.Code)).Total);
    }

    [Fact]
    public async Task Refused_visits_are_not_clicks()
    {
        var link = await _client.CreateLinkAsync(new NewLink(TestData.Url(), MaxVisits: 1));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.SendAsync(HttpMethod.Get, $"/{link.Code}", UserAgents.Firefox);
            statuses.Add(response.StatusCode);
        }

        // A later click on another link flushes after these; once it is counted, these are too.
        var marker = await _client.CreateLinkAsync(TestData.Url());
        using (var response = await _client.SendAsync(HttpMethod.Get, $"/{marker.Code}", UserAgents.Firefox))
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        await Eventually.ReachesAsync(() => _client.GetStatsAsync(marker.Code), s => s.Total >= 1, "the marker click to be counted");

        Assert.Equal([HttpStatusCode.Found, HttpStatusCode.Gone, HttpStatusCode.Gone], statuses);
        Assert.Equal(1, (await _client.GetStatsAsync(link.Code)).Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(367)]
    [InlineData(-5)]
    public async Task Days_out_of_range_answer_400(int days)
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        using var response = await _client.GetPathAsync($"/api/v1/links/{link.Code}/stats?days={days}");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("days", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Days_of_the_wrong_type_answer_400_problem()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        using var response = await _client.GetPathAsync($"/api/v1/links/{link.Code}/stats?days=week");

        await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stats_of_an_unknown_link_answer_404_problem()
    {
        var code = TestData.Alias("nostats");

        using var response = await _client.GetPathAsync($"/api/v1/links/{code}/stats");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(code, problem.Detail, StringComparison.Ordinal);
    }
}
