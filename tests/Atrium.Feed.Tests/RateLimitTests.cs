using System.Net;
using Atrium.Feed.Tests.Support;
using Xunit;

namespace Atrium.Feed.Tests;

/// <summary>Posting and follow changes are limited per user: past the burst, 429 with Retry-After.</summary>
public sealed class RateLimitTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task Posting_past_the_burst_is_429_with_retry_after_and_other_users_are_unaffected()
    {
        var alice = await app.NewUserAsync();
        await alice.PostAsync("one");
        await alice.PostAsync("two");
        using var third = await alice.PostTextAsync("three");
        await FeedApi.ProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");

        var bob = await app.NewUserAsync();
        await bob.PostAsync("bob is fine");
    }

    [Fact]
    public async Task Follow_changes_past_the_burst_are_429()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        await alice.FollowAsync(bob);
        await alice.UnfollowAsync(bob);
        Assert.Equal(HttpStatusCode.TooManyRequests, await alice.SendAsync(HttpMethod.Put, $"/api/v1/users/{bob.Username}/follow"));
    }
}
