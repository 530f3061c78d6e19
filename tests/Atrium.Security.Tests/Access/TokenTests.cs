using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Atrium.Security.Tests.Sockets;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Access;

/// <summary>
/// A tampered access token signs nobody in: 401 with ProblemDetails (and <c>WWW-Authenticate: Bearer
/// error="invalid_token"</c>) over HTTP, <c>error unauthorized</c> and close 4401 on the socket's hello.
/// </summary>
public sealed class TokenTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    public static TheoryData<string> Forgeries() => [.. TokenForgery.Kinds];

    [Fact]
    public async Task No_token_answers_401_with_problem_details()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        var body = await anonymous.ExpectAsync(HttpMethod.Get, "/api/v1/me", HttpStatusCode.Unauthorized);
        Assert.Contains("Sign in", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_tampered_token_answers_401_with_problem_details(string forgery)
    {
        var token = TokenForgery.Forge(fixture.Owner.AccessToken, forgery);
        using var client = fixture.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var path in new[] { "/api/v1/me", $"/api/v1/links/{fixture.World.LinkCode}", $"/api/v1/conversations/{fixture.World.ConversationId}" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{forgery} on {path}: {(int)response.StatusCode} {text}");
            Assert.Null(ProblemCheck.Violation(401, response.Content.Headers.ContentType, text, false, false));
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // The genuine token still works: tampering with a copy revoked nothing.
        using var genuine = fixture.CreateClient(fixture.Owner);
        await genuine.ExpectAsync(HttpMethod.Get, "/api/v1/me", HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_tampered_token_in_hello_is_refused_and_the_socket_closed_with_4401(string forgery)
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendAsync(new { type = "hello", token = TokenForgery.Forge(fixture.Owner.AccessToken, forgery) });
        var error = await socket.NextAsync("error");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4401);
    }

    [Fact]
    public async Task An_api_key_is_not_a_hello_token()
    {
        using var owner = fixture.CreateClient(fixture.Owner);
        using var created = await owner.SendAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "socket" });
        var key = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .RootElement.GetProperty("key").GetString()!;

        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendAsync(new { type = "hello", token = key });
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4401);
    }
}
