using System.Net;
using Atrium.Accounts.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary><c>POST /api/v1/sessions</c>: tokens for the right password, one indistinguishable answer otherwise.</summary>
public sealed class SignInTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Signing_in_gives_an_access_token_for_the_user_and_a_refresh_token()
    {
        var account = await _client.RegisterOkAsync();
        var before = DateTimeOffset.UtcNow;

        using var response = await _client.SignInAsync(account.Username);
        var session = await Api.ReadAsync<SessionBody>(response, HttpStatusCode.OK);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var token = new JsonWebToken(session.AccessToken);
        Assert.Equal(account.Id, token.Subject);
        Assert.Equal(account.Username, token.GetClaim("name").Value);
        Assert.Equal("atrium", token.Issuer);
        Assert.Equal(["atrium"], token.Audiences);
        Assert.Equal("HS256", token.Alg);
        Assert.False(string.IsNullOrEmpty(token.Kid));
        Assert.Equal(session.ExpiresAt, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
        Assert.InRange(session.ExpiresAt, before.AddMinutes(15).AddSeconds(-2), before.AddMinutes(15).AddMinutes(1));
        Assert.InRange(session.RefreshExpiresAt, before.AddDays(30).AddSeconds(-2), before.AddDays(30).AddMinutes(1));
        Assert.Equal(43, session.RefreshToken.Length); // 32 random bytes, base64url
        Assert.Equal(account, await _client.MeOkAsync(session.AccessToken));
    }

    [Fact]
    public async Task The_username_is_case_insensitive_at_sign_in()
    {
        var account = await _client.RegisterOkAsync();
        var session = await _client.SignInOkAsync(account.Username.ToUpperInvariant());
        Assert.Equal(account.Id, new JsonWebToken(session.AccessToken).Subject);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_username_answer_exactly_alike()
    {
        var account = await _client.RegisterOkAsync();

        using var wrongPassword = await _client.SignInAsync(account.Username, "not-the-password-at-all");
        using var unknownUser = await _client.SignInAsync(Api.NewUsername(), "not-the-password-at-all");
        using var impossibleUser = await _client.SignInAsync("not a username!", "not-the-password-at-all");

        var first = await Api.ReadProblemAsync(wrongPassword, HttpStatusCode.Unauthorized);
        Assert.Equal("The username or password is wrong.", first.Detail);
        Assert.Equal(first, await Api.ReadProblemAsync(unknownUser, HttpStatusCode.Unauthorized));
        Assert.Equal(first, await Api.ReadProblemAsync(impossibleUser, HttpStatusCode.Unauthorized));
        Assert.Equal(wrongPassword.Content.Headers.ContentType, unknownUser.Content.Headers.ContentType);
    }

    [Theory]
    [InlineData("""{"password":"tulip-marble-canyon-42"}""", "username is required")]
    [InlineData("""{"username":"someone"}""", "password is required")]
    [InlineData("""{"username":"someone","password":""}""", "password is required")]
    [InlineData("""{"username":"someone","password":"x","remember":true}""", "Unknown field 'remember'")]
    public async Task Incomplete_sign_ins_answer_400(string body, string expected)
    {
        using var response = await _client.PostRawAsync("/api/v1/sessions", body);
        Assert.Contains(expected, (await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
    }
}
