using System.Globalization;
using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Short-code guessing (<c>Links:GuessLimit*</c>): a client that follows too many unknown codes gets 429 with
/// Retry-After for every redirect and preview — existing codes too — until the window passes (<see cref="GuessWindowTests"/>); hits cost nothing;
/// other clients are not affected. Each test uses its own client addresses.
/// </summary>
public sealed class GuessThrottleTests(GuessLimitFixture fixture) : IClassFixture<GuessLimitFixture>
{
    private readonly HttpClient _owner = fixture.CreateClient();

    [Fact]
    public async Task After_the_allowed_misses_every_redirect_answers_429_with_Retry_After_even_for_existing_codes()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var guesser = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());

        await guesser.MissAsync(GuessLimitFixture.Misses);
        using var refusedMiss = await guesser.FollowAsync(TestData.Alias("unknown"));
        using var refusedHit = await guesser.FollowAsync(link.Code);
        using var refusedHead = await guesser.SendAsync(HttpMethod.Head, $"/{link.Code}");
        using var refusedPreview = await guesser.PreviewAsync(link.Code);

        foreach (var response in new[] { refusedMiss, refusedHit, refusedPreview })
        {
            var problem = await Api.ReadProblemAsync(response, HttpStatusCode.TooManyRequests);
            Assert.Contains("unknown short links", problem.Detail, StringComparison.Ordinal);
            AssertRetryAfterAbout(response, GuessLimitFixture.Window);
            Assert.Null(response.Location());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refusedHead.StatusCode);
    }

    [Fact]
    public async Task Other_clients_are_not_affected()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var guesser = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());
        var bystander = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());
        await guesser.MissAsync(GuessLimitFixture.Misses);
        using (var refused = await guesser.FollowAsync(TestData.Alias("unknown")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using (var refused = await guesser.FollowAsync(link.Code))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using var hit = await bystander.FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.Found, hit.StatusCode);
        Assert.Equal(link.Url, hit.Location());
        await bystander.MissAsync(1);
    }

    [Fact]
    public async Task Following_existing_codes_costs_nothing()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var reader = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());

        for (var i = 0; i < GuessLimitFixture.Misses * 4; i++)
        {
            using var hit = await reader.FollowAsync(link.Code);
            Assert.Equal(HttpStatusCode.Found, hit.StatusCode);
            using var preview = await reader.PreviewAsync(link.Code);
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        }

        // The whole budget is still there: exactly Misses unknown codes, then the block.
        await reader.MissAsync(GuessLimitFixture.Misses);
        using var refused = await reader.FollowAsync(TestData.Alias("unknown"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task Unknown_codes_in_previews_count_as_misses()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var guesser = new Visitor(fixture.CreateAnonymousClient(), Visitor.NewAddress());
        for (var i = 0; i < GuessLimitFixture.Misses; i++)
        {
            using var miss = await guesser.PreviewAsync(TestData.Alias("unknown"));
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        }

        using var refused = await guesser.PreviewAsync(TestData.Alias("unknown"));
        await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
        using var hit = await guesser.FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, hit.StatusCode);
    }

    [Fact]
    public async Task An_ipv6_client_counts_as_its_whole_64_bit_network()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        var network = $"2001:db8:{Random.Shared.Next(0xffff):x}:{Random.Shared.Next(0x10000):x}"; // never 2001:db8:ffff::/48
        var client = fixture.CreateAnonymousClient();

        // Every miss from another address of the same /64.
        for (var i = 1; i <= GuessLimitFixture.Misses; i++)
        {
            await new Visitor(client, $"{network}::{i:x}").MissAsync(1);
        }

        using var refused = await new Visitor(client, $"{network}:ffff:ffff:ffff:ffff").FollowAsync(link.Code + "x");
        await Api.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
        using var sameNetwork = await new Visitor(client, $"{network}::abcd").FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        using var otherNetwork = await new Visitor(client, $"2001:db8:ffff:{Random.Shared.Next(0x10000):x}::1").FollowAsync(link.Code);
        Assert.Equal(HttpStatusCode.Found, otherNetwork.StatusCode);
    }

    /// <summary>Retry-After is whole seconds, rounded up, at most <paramref name="expected"/> and not far below it.</summary>
    internal static void AssertRetryAfterAbout(HttpResponseMessage response, TimeSpan expected)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "429 without a Retry-After header");
        var seconds = int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, (int)expected.TotalSeconds - 60, (int)expected.TotalSeconds);
    }
}
