using System.Net;
using System.Text.RegularExpressions;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed partial class CreateLinkTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task Create_answers_201_with_Location_and_every_field()
    {
        var url = TestData.Url();
        var before = DateTimeOffset.UtcNow;

        using var response = await _client.PostLinkAsync(new NewLink(url));
        var link = await Api.ReadCreatedAsync(response);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"/api/v1/links/{link.Code}", response.Location());
        Assert.Matches(GeneratedCode(), link.Code);
        Assert.Equal($"http://localhost/{link.Code}", link.ShortUrl);
        Assert.Equal(url, link.Url);
        Assert.InRange(link.CreatedAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Null(link.ExpiresAt);
        Assert.Null(link.MaxVisits);
        Assert.False(link.Permanent);
        Assert.Null(link.DisabledAt);
    }

    [Fact]
    public async Task Create_echoes_the_options_it_was_given()
    {
        var expiresAt = new DateTimeOffset(2099, 6, 1, 12, 30, 0, TimeSpan.Zero);
        var limited = await _client.CreateLinkAsync(new NewLink(TestData.Url(), ExpiresAt: expiresAt, MaxVisits: 7, Permanent: false));
        var permanent = await _client.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));

        Assert.Equal(expiresAt, limited.ExpiresAt);
        Assert.Equal(7, limited.MaxVisits);
        Assert.False(limited.Permanent);
        Assert.True(permanent.Permanent);
        Assert.Null(permanent.ExpiresAt);
    }

    [Fact]
    public async Task Create_with_an_alias_uses_it_as_the_code()
    {
        var alias = TestData.Alias("promo");

        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias));
        var link = await Api.ReadCreatedAsync(response);

        Assert.Equal(alias, link.Code);
        Assert.Equal($"/api/v1/links/{alias}", response.Location());
        Assert.Equal($"http://localhost/{alias}", link.ShortUrl);
    }

    [Fact]
    public async Task A_new_link_redirects_at_once()
    {
        var url = TestData.Url();
        var link = await _client.CreateLinkAsync(url);

        using var redirect = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal(url, redirect.Location());
    }

    [Fact]
    public async Task Generated_codes_are_distinct_fixed_length_and_not_sequential()
    {
        var codes = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            codes.Add((await _client.CreateLinkAsync(TestData.Url())).Code);
        }

        Assert.All(codes, code => Assert.Matches(GeneratedCode(), code));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());

        // Consecutive ids through a counter would give codes a few units apart sharing a long prefix.
        var values = codes.Select(Decode).ToList();
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(Math.Abs(values[i] - values[i - 1]) > 1_000_000,
                $"Codes {codes[i - 1]} and {codes[i]} of consecutive creations are numerically close.");
        }

        Assert.NotEqual(codes.Order(StringComparer.Ordinal), codes);
        Assert.True(codes.Select(c => c[..3]).Distinct().Count() > codes.Count / 2, "Consecutive codes share their prefixes.");
    }

    [Fact]
    public async Task Identical_creations_without_a_key_make_two_links()
    {
        var url = TestData.Url();

        var first = await _client.CreateLinkAsync(url);
        var second = await _client.CreateLinkAsync(url);

        Assert.NotEqual(first.Code, second.Code);
    }

    [Fact]
    public async Task Concurrent_creations_get_distinct_codes_that_all_redirect()
    {
        var urls = Enumerable.Range(0, 40).Select(i => TestData.Url($"concurrent-{i}")).ToList();

        var links = await Task.WhenAll(urls.Select(url => _client.CreateLinkAsync(url)));

        Assert.Equal(urls.Count, links.Select(l => l.Code).Distinct(StringComparer.Ordinal).Count());
        foreach (var (url, link) in urls.Zip(links))
        {
            Assert.Equal(url, link.Url);
            using var redirect = await _client.GetPathAsync($"/{link.Code}");
            Assert.Equal(url, redirect.Location());
        }
    }

    private static long Decode(string code) => code.Aggregate(0L, (value, c) => (value * 62) + Base62.IndexOf(c, StringComparison.Ordinal));

    [GeneratedRegex("^[0-9A-Za-z]{7}$")]
    private static partial Regex GeneratedCode();
}
