using System.Net;
using System.Net.Http.Headers;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary><c>GET /api/v1/me</c> and the two policies, with good, missing and bad access tokens.</summary>
public sealed class AccessTokenTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Me_answers_the_signed_in_user()
    {
        var (account, session) = await _client.NewUserAsync();
        Assert.Equal(account, await _client.MeOkAsync(session.AccessToken));
    }

    [Fact]
    public async Task Me_without_credentials_is_401_with_a_problem_and_a_bearer_challenge()
    {
        using var response = await _client.MeAsync();

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Sign in first", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.AAAA")]
    [InlineData("a.b.c")]
    public async Task A_malformed_token_is_401(string token)
    {
        using var response = await _client.MeAsync(token);
        Assert.Equal("The access token is not valid.", (await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized)).Detail);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_with_a_changed_payload_or_signature_is_401()
    {
        var (_, session) = await _client.NewUserAsync();
        var parts = session.AccessToken.Split('.');
        var (_, other) = await _client.NewUserAsync();
        var otherParts = other.AccessToken.Split('.');

        var swappedPayload = $"{parts[0]}.{otherParts[1]}.{parts[2]}";
        var flippedSignature = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        var unsigned = $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";

        foreach (var token in new[] { swappedPayload, flippedSignature, unsigned })
        {
            using var response = await _client.MeAsync(token);
            await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_credential_of_another_scheme_is_401_saying_how_to_send_the_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.Relative("/api/v1/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains("Authorization: Bearer", (await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signed_in_or_anonymous_policy_lets_anonymous_callers_through_but_not_bad_credentials()
    {
        var (account, session) = await _client.NewUserAsync();

        using var anonymous = await _client.SendAsync(HttpMethod.Get, "/probe/optional");
        using var signedIn = await _client.SendAsync(HttpMethod.Get, "/probe/optional", session.AccessToken);
        using var badToken = await _client.SendAsync(HttpMethod.Get, "/probe/optional", "garbage");
        using var badKey = await _client.SendAsync(HttpMethod.Get, "/probe/optional", apiKey: "atr_not-a-real-key");
        using var required = await _client.SendAsync(HttpMethod.Get, "/probe/signed-in");

        Assert.Equal("anonymous", await anonymous.TextAsync());
        Assert.Equal(account.Id, await signedIn.TextAsync());
        await Api.ReadProblemAsync(badToken, HttpStatusCode.Unauthorized);
        await Api.ReadProblemAsync(badKey, HttpStatusCode.Unauthorized);
        await Api.ReadProblemAsync(required, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Endpoints_without_a_policy_ignore_credentials_entirely()
    {
        // The public profile names no policy: a broken token is not even looked at.
        var account = await _client.RegisterOkAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/api/v1/users/{account.Username}", "garbage", "atr_garbage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Base64Url(string json) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json));
}
