using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Bad input to <c>POST /api/v1/links</c>: each answer is problem JSON that says what is wrong. (The 413 for an
/// oversized body needs Kestrel: see <see cref="RealServerTests"/>.)
/// </summary>
public sealed class ValidationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("""{"url":""", "Malformed JSON")]
    [InlineData("""{"url":"https://example.com/a",}""", "Malformed JSON")]
    [InlineData("""not json at all""", "Malformed JSON")]
    [InlineData("""{}""", "URL is required")]
    [InlineData("""{"alias":"no-url-here"}""", "URL is required")]
    [InlineData("""{"url":null}""", "URL is required")]
    [InlineData("""{"url":""}""", "URL is required")]
    [InlineData("""{"url":"https://example.com/a","colour":"red"}""", "colour")]
    [InlineData("""{"url":5}""", "url")]
    [InlineData("""{"url":"https://example.com/a","maxVisits":"ten"}""", "maxVisits")]
    [InlineData("""{"url":"https://example.com/a","permanent":"yes"}""", "permanent")]
    [InlineData("""{"url":"https://example.com/a","expiresAt":"next tuesday"}""", "expiresAt")]
    [InlineData("""["https://example.com/a"]""", "wrong type")]
    public async Task Malformed_bodies_answer_400_saying_what_is_wrong(string body, string detailMentions)
    {
        using var response = await _client.PostRawAsync(body);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_empty_body_answers_400()
    {
        using var response = await _client.PostRawAsync("");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("body is required", problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_JSON_null_body_answers_400_without_naming_server_types()
    {
        using var response = await _client.PostRawAsync("null");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("CreateLinkRequest", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task A_wrong_content_type_answers_415(string contentType)
    {
        using var response = await _client.PostRawAsync("""{"url":"https://example.com/a"}""", contentType);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/file.txt", "ftp")]
    [InlineData("javascript:alert(1)", "javascript")]
    [InlineData("mailto:someone@example.com", "mailto")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("https://user:secret@example.com/", "credentials")]
    [InlineData("https://user@example.com/", "credentials")]
    [InlineData("http://localhost/loop", "this service")]
    [InlineData("http://LOCALHOST:8080/loop", "this service")]
    [InlineData("/relative/path", "absolute")]
    [InlineData("example.com/no-scheme", "absolute")]
    [InlineData("https:example.com", "absolute")]
    [InlineData("https://", "host")]
    [InlineData("https://example.com/with space", "whitespace")]
    [InlineData("https://example.com/line\nbreak", "whitespace")]
    [InlineData("https://example.com/straße", "ASCII")]
    [InlineData("https://bücher.example/", "punycode")]
    public async Task Unacceptable_target_URLs_answer_400_saying_why(string url, string detailMentions)
    {
        using var response = await _client.PostLinkAsync(new NewLink(url));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_URL_of_2048_characters_is_accepted_and_2049_refused()
    {
        var prefix = $"https://example.com/{Guid.NewGuid():N}/";
        var longest = prefix + new string('x', 2048 - prefix.Length);

        var created = await _client.CreateLinkAsync(longest);
        using var tooLong = await _client.PostLinkAsync(new NewLink(longest + "x"));

        Assert.Equal(longest, created.Url);
        var problem = await Api.ReadProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.Contains("2,048", problem.Detail, StringComparison.Ordinal);
        using var redirect = await _client.GetPathAsync($"/{created.Code}");
        Assert.Equal(longest, redirect.Location());
    }

    [Fact]
    public async Task ExpiresAt_in_the_past_answers_400()
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), ExpiresAt: DateTimeOffset.UtcNow.AddMinutes(-1)));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("expiresAt", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000_001)]
    public async Task MaxVisits_out_of_range_answers_400(long maxVisits)
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), MaxVisits: maxVisits));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("maxVisits", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanent_link_cannot_expire_or_have_a_visit_limit()
    {
        using var expiring = await _client.PostLinkAsync(new NewLink(TestData.Url(), ExpiresAt: DateTimeOffset.UtcNow.AddDays(1), Permanent: true));
        using var limited = await _client.PostLinkAsync(new NewLink(TestData.Url(), MaxVisits: 5, Permanent: true));

        Assert.Contains("permanent", (await Api.ReadProblemAsync(expiring, HttpStatusCode.BadRequest)).Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("permanent", (await Api.ReadProblemAsync(limited, HttpStatusCode.BadRequest)).Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_refused_request_writes_nothing()
    {
        var alias = TestData.Alias("clean");
        using var refused = await _client.PostLinkAsync(new NewLink("ftp://example.com/", alias));
        await Api.ReadProblemAsync(refused, HttpStatusCode.BadRequest);

        using var lookup = await _client.GetPathAsync($"/api/v1/links/{alias}");
        var created = await _client.CreateLinkAsync(TestData.Url(), alias);

        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(alias, created.Code);
    }
}
