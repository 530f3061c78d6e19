using System.Net;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary>Refresh-token rotation, reuse detection and sign-out.</summary>
public sealed class RefreshTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Refreshing_rotates_the_refresh_token_and_gives_a_working_access_token()
    {
        var (account, session) = await _client.NewUserAsync();

        using var response = await _client.RefreshAsync(session.RefreshToken);
        var renewed = await Api.ReadAsync<SessionBody>(response, HttpStatusCode.OK);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.NotEqual(session.RefreshToken, renewed.RefreshToken);
        Assert.NotEqual(session.AccessToken, renewed.AccessToken);
        Assert.Equal(account, await _client.MeOkAsync(renewed.AccessToken));

        // The next refresh works with the new token.
        using var again = await _client.RefreshAsync(renewed.RefreshToken);
        await Api.ReadAsync<SessionBody>(again, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Presenting_a_rotated_token_again_revokes_the_whole_session()
    {
        var (_, session) = await _client.NewUserAsync();
        using var first = await _client.RefreshAsync(session.RefreshToken);
        var legitimate = await Api.ReadAsync<SessionBody>(first, HttpStatusCode.OK);

        // Someone replays the old token (stolen, or a client that kept it).
        using var replay = await _client.RefreshAsync(session.RefreshToken);
        Assert.Contains("already used", (await Api.ReadProblemAsync(replay, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);

        // The token handed out by the legitimate rotation is revoked with the rest of the family.
        using var afterReuse = await _client.RefreshAsync(legitimate.RefreshToken);
        Assert.Contains("revoked", (await Api.ReadProblemAsync(afterReuse, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reuse_revokes_only_that_session_not_the_users_other_sessions()
    {
        var (account, laptop) = await _client.NewUserAsync();
        var phone = await _client.SignInOkAsync(account.Username);
        using (var rotated = await _client.RefreshAsync(laptop.RefreshToken))
        {
            await Api.ReadAsync<SessionBody>(rotated, HttpStatusCode.OK);
        }

        using (var replay = await _client.RefreshAsync(laptop.RefreshToken))
        {
            await Api.ReadProblemAsync(replay, HttpStatusCode.Unauthorized);
        }

        using var phoneRefresh = await _client.RefreshAsync(phone.RefreshToken);
        await Api.ReadAsync<SessionBody>(phoneRefresh, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_and_is_idempotent()
    {
        var (account, session) = await _client.NewUserAsync();
        using (var rotated = await _client.RefreshAsync(session.RefreshToken))
        {
            session = await Api.ReadAsync<SessionBody>(rotated, HttpStatusCode.OK);
        }

        using var signOut = await _client.SignOutAsync(session.RefreshToken);
        using var twice = await _client.SignOutAsync(session.RefreshToken);
        using var unknown = await _client.SignOutAsync("no-such-token");
        using var refresh = await _client.RefreshAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unknown.StatusCode);
        Assert.Contains("signed out", (await Api.ReadProblemAsync(refresh, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);

        // The access token is stateless: it keeps working until it expires (the documented trade-off).
        Assert.Equal(account, await _client.MeOkAsync(session.AccessToken));
    }

    [Fact]
    public async Task An_unknown_refresh_token_is_401()
    {
        using var response = await _client.RefreshAsync("bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtcmVhbGx5LW5v");
        Assert.Contains("not valid", (await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sessions/refresh", "POST", "{}")]
    [InlineData("/api/v1/sessions/refresh", "POST", """{"refreshToken":""}""")]
    [InlineData("/api/v1/sessions", "DELETE", "{}")]
    public async Task A_missing_refresh_token_is_400(string path, string method, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Relative(path))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Contains("refreshToken is required", (await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_without_a_body_is_400()
    {
        using var response = await _client.SendAsync(HttpMethod.Delete, "/api/v1/sessions");
        await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
