using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Expiry by date, on a fake clock the tests move forward.</summary>
public sealed class ExpiryTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_link_redirects_until_its_expiry_and_answers_a_410_page_from_that_instant()
    {
        var url = TestData.Url();
        var expiresAt = WholeMilliseconds(fixture.Clock.GetUtcNow().AddHours(1));
        var link = await _client.CreateLinkAsync(new NewLink(url, ExpiresAt: expiresAt));
        Assert.Equal(expiresAt, link.ExpiresAt);

        fixture.Clock.SetUtcNow(expiresAt.AddMilliseconds(-1));
        using (var before = await _client.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, before.StatusCode);
            Assert.Equal(url, before.Location());
        }

        fixture.Clock.SetUtcNow(expiresAt);
        using var atExpiry = await _client.GetPathAsync($"/{link.Code}");
        using var head = await _client.SendAsync(HttpMethod.Head, $"/{link.Code}");

        Assert.Equal(HttpStatusCode.Gone, atExpiry.StatusCode);
        Assert.Equal("text/html", atExpiry.Content.Headers.ContentType?.MediaType);
        Assert.Null(atExpiry.Location());
        Assert.Contains("expired", await atExpiry.TextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
    }

    [Fact]
    public async Task The_preview_of_an_expired_link_answers_410_and_its_metadata_stays_readable()
    {
        var link = await _client.CreateLinkAsync(new NewLink(TestData.Url(), ExpiresAt: fixture.Clock.GetUtcNow().AddMinutes(5)));
        using (var live = await _client.GetPathAsync($"/{link.Code}+"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(6));

        using var preview = await _client.GetPathAsync($"/{link.Code}+");
        var metadata = await _client.GetLinkAsync(link.Code);
        Assert.Equal(HttpStatusCode.Gone, preview.StatusCode);
        Assert.Equal(link, metadata);
    }

    [Fact]
    public async Task ExpiresAt_is_judged_by_the_server_clock()
    {
        // A day ahead of the real clock: "a second ago" on the server's clock is still the future in real time.
        fixture.Clock.SetUtcNow(WholeMilliseconds(fixture.Clock.GetUtcNow()).AddDays(1));
        var now = fixture.Clock.GetUtcNow();

        using var past = await _client.PostLinkAsync(new NewLink(TestData.Url(), ExpiresAt: now.AddSeconds(-1)));
        using var present = await _client.PostLinkAsync(new NewLink(TestData.Url(), ExpiresAt: now));
        var future = await _client.CreateLinkAsync(new NewLink(TestData.Url(), ExpiresAt: now.AddSeconds(1)));

        Assert.Contains("expiresAt", (await Api.ReadProblemAsync(past, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        await Api.ReadProblemAsync(present, HttpStatusCode.BadRequest);
        Assert.Equal(WholeMilliseconds(now), future.CreatedAt);
    }

    [Fact]
    public async Task A_link_accepted_with_an_expiry_has_not_already_expired()
    {
        // The clock stands 0.2 ms into a millisecond and expiresAt is 0.5 ms later: the future, but the same
        // whole millisecond. Either creation refuses it, or the new link redirects.
        var now = WholeMilliseconds(fixture.Clock.GetUtcNow()).AddDays(2).AddTicks(2_000);
        fixture.Clock.SetUtcNow(now);

        using var create = await _client.PostLinkAsync(new NewLink(TestData.Url(), ExpiresAt: now.AddTicks(5_000)));
        if (create.StatusCode != HttpStatusCode.Created)
        {
            await Api.ReadProblemAsync(create, HttpStatusCode.BadRequest);
            return;
        }

        var link = await Api.ReadCreatedAsync(create);
        using var follow = await _client.GetPathAsync($"/{link.Code}");
        Assert.True(follow.StatusCode == HttpStatusCode.Found, $"Created with 201 (expiresAt {link.ExpiresAt:O}) yet answers {(int)follow.StatusCode} at once.");
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
