using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>A client blocked for guessing short codes is refused until the window has passed, and only until then.</summary>
public sealed class GuessWindowTests(GuessClockFixture fixture) : IClassFixture<GuessClockFixture>
{
    private readonly HttpClient _owner = fixture.CreateClient();

    [Fact]
    public async Task The_block_ends_when_the_window_has_passed()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var guesser = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());
        await guesser.MissAsync(GuessLimitFixture.Misses);
        using (var refused = await guesser.FollowAsync(TestData.Alias("unknown")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        fixture.Clock.Advance(GuessLimitFixture.Window / 2);
        using (var stillRefused = await guesser.FollowAsync(link.Code))
        {
            await Api.ReadProblemAsync(stillRefused, HttpStatusCode.TooManyRequests);
            GuessThrottleTests.AssertRetryAfterAbout(stillRefused, GuessLimitFixture.Window / 2);
        }

        fixture.Clock.Advance(GuessLimitFixture.Window / 2 + TimeSpan.FromSeconds(1));
        using var again = await guesser.FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Equal(link.Url, again.Location());
    }
}
