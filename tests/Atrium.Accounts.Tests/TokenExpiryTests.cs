using System.Net;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Access and refresh tokens expire on the server's clock (a fake one the tests move forward).</summary>
public sealed class TokenExpiryTests
{
    [Fact]
    public async Task An_access_token_is_accepted_until_its_lifetime_and_skew_run_out_then_401_says_expired()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["Accounts:ClockSkew"] = "00:00:30" }, clock: TestApp.NewClock());
        var client = app.CreateClient();
        var (account, session) = await client.NewUserAsync();

        await app.AdvanceAsync(session.ExpiresAt - app.Clock!.GetUtcNow() + TimeSpan.FromSeconds(29));
        Assert.Equal(account, await client.MeOkAsync(session.AccessToken));

        await app.AdvanceAsync(TimeSpan.FromSeconds(2));
        using var expired = await client.MeAsync(session.AccessToken);

        var problem = await Api.ReadProblemAsync(expired, HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("/api/v1/sessions/refresh", problem.Detail, StringComparison.Ordinal);

        // The refresh token still works, and its access token does.
        using var refreshed = await client.RefreshAsync(session.RefreshToken);
        var renewed = await Api.ReadAsync<SessionBody>(refreshed, HttpStatusCode.OK);
        Assert.Equal(account, await client.MeOkAsync(renewed.AccessToken));
    }

    [Fact]
    public async Task A_refresh_token_is_refused_once_it_expired()
    {
        await using var app = new TestApp(clock: TestApp.NewClock());
        var client = app.CreateClient();
        var (_, session) = await client.NewUserAsync();

        await app.AdvanceAsync(session.RefreshExpiresAt - app.Clock!.GetUtcNow() - TimeSpan.FromMinutes(1));
        using var before = await client.RefreshAsync(session.RefreshToken);
        var renewed = await Api.ReadAsync<SessionBody>(before, HttpStatusCode.OK);
        Assert.True(renewed.RefreshExpiresAt > session.RefreshExpiresAt, "A rotated refresh token gets a fresh lifetime.");

        await app.AdvanceAsync(renewed.RefreshExpiresAt - app.Clock.GetUtcNow());
        using var atExpiry = await client.RefreshAsync(renewed.RefreshToken);

        Assert.Contains("expired", (await Api.ReadProblemAsync(atExpiry, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
    }
}
