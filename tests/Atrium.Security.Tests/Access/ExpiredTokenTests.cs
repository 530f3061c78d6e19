using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Atrium.Security.Tests.Sockets;
using Atrium.Security.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Security.Tests.Access;

/// <summary>
/// Expired access tokens, made by the app itself (same signing key) and aged by its clock, a
/// <see cref="FakeTimeProvider"/>: 401 with ProblemDetails over HTTP, 4401 on hello — and a socket that was opened
/// with a token is closed with 4401 when that token expires. The token lifetime is the default, 15 minutes, with 30 s
/// of clock skew.
/// </summary>
public sealed class ExpiredTokenTests(ExpiredTokenTests.ClockFixture fixture) : IClassFixture<ExpiredTokenTests.ClockFixture>
{
    private static readonly TimeSpan PastExpiry = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31);

    [Fact]
    public async Task An_expired_token_answers_401_and_says_it_expired()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        var user = await Atrium.Testing.TestUsers.SignUpAsync(anonymous, TestContext.Current.CancellationToken);
        using var client = fixture.CreateClient(user);
        await client.ExpectAsync(HttpMethod.Get, "/api/v1/me", HttpStatusCode.OK);

        fixture.Clock.Advance(PastExpiry);

        var body = await client.ExpectAsync(HttpMethod.Get, "/api/v1/me", HttpStatusCode.Unauthorized);
        Assert.Contains("expired", body, StringComparison.Ordinal);
        await client.ExpectAsync(HttpMethod.Get, $"/api/v1/links/{fixture.World.LinkCode}", HttpStatusCode.Unauthorized);

        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendAsync(new { type = "hello", token = user.AccessToken });
        Assert.Equal("unauthorized", (await socket.NextAsync("error")).GetProperty("code").GetString());
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4401);
    }

    [Fact]
    public async Task An_open_socket_is_closed_with_4401_when_its_token_expires_and_a_fresh_token_resumes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = fixture.CreateAnonymousClient();
        var user = await Atrium.Testing.TestUsers.SignUpAsync(anonymous, ct);
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(ct)).StartReading();
        var welcome = await socket.HelloAsync(user.AccessToken);

        // Well within the token's life, the socket works.
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await socket.SendAsync(new { type = "ping" });
        await socket.NextAsync("pong");

        // Past its expiry, the server closes it, saying why.
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4401);
        Assert.Contains("expired", socket.CloseReason, StringComparison.Ordinal);

        // The client refreshes its session and resumes from its cursor with the fresh token.
        using var refreshed = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/sessions/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var fresh = System.Text.Json.JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("accessToken").GetString()!;
        await using var resumed = new TestSocket(await fixture.OpenSocketAsync(ct)).StartReading();
        await resumed.SendAsync(new { type = "hello", token = fresh, since = welcome.GetProperty("pos").GetInt64() });
        await resumed.NextAsync("welcome");
        await resumed.SendAsync(new { type = "ping" });
        await resumed.NextAsync("pong");
    }

    /// <summary>The app on a fake clock, starting at the real now.</summary>
    public sealed class ClockFixture : SecurityFixture
    {
        public ClockFixture()
            : this(new FakeTimeProvider(DateTimeOffset.UtcNow))
        {
        }

        private ClockFixture(FakeTimeProvider clock)
            : base(null, clock) => Clock = clock;

        public FakeTimeProvider Clock { get; }
    }
}
