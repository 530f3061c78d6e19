using System.Net;
using Atrium.Chat.Tests.Support;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>Per-user send limits: a token bucket; over it, the socket answers rate_limited and HTTP 429.</summary>
public sealed class RateLimitTests(RateLimitTests.StrictFixture fixture) : IClassFixture<RateLimitTests.StrictFixture>
{
    [Fact]
    public async Task Sends_over_the_user_limit_are_refused_with_rate_limited_and_429()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);

        for (var i = 0; i < 10; i++)
        {
            await alices.SendAsync(new { type = "send", conversationId = id, clientMessageId = $"burst-{i}", text = "spam" });
        }

        var refusal = await alices.NextAsync(f => f.Type() == "error", "rate_limited");
        Assert.Equal("rate_limited", refusal.GetProperty("code").GetString());
        Assert.StartsWith("burst-", refusal.GetProperty("ref").GetString(), StringComparison.Ordinal);
        Assert.True(refusal.GetProperty("retryAfterMs").GetInt64() > 0);

        // Ten sends in a row against a bucket of two that refills one a second: some are refused.
        var refused = 0;
        for (var i = 0; i < 10; i++)
        {
            using var response = await alice.Http.PostMessageAsync(id, $"http-{i}", "more spam");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                refused++;
            }
        }

        Assert.True(refused > 0);
    }

    public sealed class StrictFixture() : ChatFixture(new Dictionary<string, string?>
    {
        ["Chat:UserSendsPerSecond"] = "1",
        ["Chat:UserSendBurst"] = "2",
    });
}
