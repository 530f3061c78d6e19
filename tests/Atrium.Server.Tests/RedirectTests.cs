using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Server.Tests;

public sealed class RedirectTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_link_answers_302_by_default()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(url, response.Location());
    }

    [Fact]
    public async Task A_permanent_link_answers_301()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(new NewLink(url, TestData.Alias("perm"), Permanent: true));

        using var response = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(url, response.Location());
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("https://EXAMPLE.com/Mixed/Case?Q=Upper")]
    [InlineData("https://example.com/search?q=a%20b&lang=en#results")]
    [InlineData("https://example.com/%7Euser/a%2Fb?next=https%3A%2F%2Fother.example%2F%3Fx%3D1")]
    [InlineData("http://example.com:8080/a/../b/./c")]
    [InlineData("https://example.com/path;param?list=[1,2]&empty=&flag")]
    [InlineData("https://example.com/#/app/route?x=1")]
    [InlineData("https://example.com/caf%C3%A9?emoji=%F0%9F%98%80")]
    public async Task Location_is_the_stored_URL_exactly(string url)
    {
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(url, response.Location());
        Assert.Equal(url, link.Url);
    }

    [Fact]
    public async Task HEAD_answers_like_GET()
    {
        var url = TestData.Url();
        var temporary = await _client.CreateLinkAsync(url);
        var permanent = await _client.CreateLinkAsync(new NewLink(url, Permanent: true));

        using var headTemporary = await _client.SendAsync(HttpMethod.Head, $"/{temporary.Code}");
        using var headPermanent = await _client.SendAsync(HttpMethod.Head, $"/{permanent.Code}");
        using var headUnknown = await _client.SendAsync(HttpMethod.Head, $"/{TestData.Alias("nope")}");

        Assert.Equal(HttpStatusCode.Found, headTemporary.StatusCode);
        Assert.Equal(url, headTemporary.Location());
        Assert.Equal(HttpStatusCode.MovedPermanently, headPermanent.StatusCode);
        Assert.Equal(url, headPermanent.Location());
        Assert.Equal(HttpStatusCode.NotFound, headUnknown.StatusCode);
    }

    [Fact]
    public async Task HEAD_does_not_count_a_visit()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(new NewLink(url, MaxVisits: 1));

        for (var i = 0; i < 3; i++)
        {
            using var head = await _client.SendAsync(HttpMethod.Head, $"/{link.Code}");
            Assert.Equal(HttpStatusCode.Found, head.StatusCode);
        }

        using var get = await _client.GetPathAsync($"/{link.Code}");
        using var again = await _client.GetPathAsync($"/{link.Code}");
        using var headAfter = await _client.SendAsync(HttpMethod.Head, $"/{link.Code}");

        Assert.Equal(HttpStatusCode.Found, get.StatusCode);
        Assert.Equal(url, get.Location());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, headAfter.StatusCode);
    }

    [Fact]
    public async Task HEAD_does_not_count_a_click()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        for (var i = 0; i < 3; i++)
        {
            using var head = await _client.SendAsync(HttpMethod.Head, $"/{link.Code}", UserAgents.Firefox);
            Assert.Equal(HttpStatusCode.Found, head.StatusCode);
        }

        // The GET's click is buffered after the HEADs, so once it is counted any HEAD click would be too.
        using (var get = await _client.SendAsync(HttpMethod.Get, $"/{link.Code}", UserAgents.Chrome))
        {
            Assert.Equal(HttpStatusCode.Found, get.StatusCode);
        }

        var stats = await Eventually.ReachesAsync(() => _client.GetStatsAsync(link.Code), s => s.Total > 0, "the GET's click");
        Assert.Equal(1, stats.Total);
        Assert.Equal("Chrome", Assert.Single(stats.Browsers).Family);
    }

    [Theory]
    [InlineData("nothing-here-123")]
    [InlineData("ab")]
    [InlineData("not.a.code")]
    [InlineData("abcdefg")]
    public async Task An_unknown_code_answers_a_404_page(string code)
    {
        using var response = await _client.GetPathAsync($"/{code}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Location());
        Assert.Contains("Link not found", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_that_was_unknown_redirects_once_created()
    {
        var alias = TestData.Alias("later");
        using (var before = await _client.GetPathAsync($"/{alias}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        var url = TestData.Url();
        await _client.CreateLinkAsync(url, alias);

        using var after = await _client.GetPathAsync($"/{alias}");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.Equal(url, after.Location());
    }

    [Fact]
    public async Task The_404_page_escapes_the_code()
    {
        using var response = await _client.GetPathAsync("/%3Cb%3Ebold%3C%2Fb%3E");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<b>bold", await response.TextAsync(), StringComparison.Ordinal);
    }
}
