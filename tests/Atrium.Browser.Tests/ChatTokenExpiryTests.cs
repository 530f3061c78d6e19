using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Browser.Tests.Support;
using Atrium.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Atrium.Browser.Tests;

/// <summary>
/// The web client's side of token expiry (docs/chat-protocol.md): the server closes a welcomed socket with 4401 when
/// the token of its hello expires; the page refreshes its token, reconnects with <c>hello {since}</c> and misses nothing.
/// (The server side — the close itself, at the token's expiry — is tested in Atrium.Security.Tests.)
/// </summary>
public sealed class ChatTokenExpiryTests(AtriumBrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_socket_closed_for_an_expired_token_reconnects_with_a_fresh_token_and_misses_nothing()
    {
        var ada = await NewUserAsync();
        var bob = await NewUserAsync();
        using var bobClient = Fixture.CreateClient().As(bob);
        using var created = await bobClient.PostAsJsonAsync(new Uri("/api/v1/conversations", UriKind.Relative), new { members = new[] { ada.Username } }, Ct);
        var conversationId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        var connections = 0;
        IWebSocketRoute? live = null;
        await Context.RouteWebSocketAsync("**/ws", socket =>
        {
            Interlocked.Increment(ref connections);
            socket.ConnectToServer();
            live = socket;
        });
        var refreshes = 0;
        Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/sessions/refresh", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref refreshes);
            }
        };

        await SignInAsync(ada.Username, TestUsers.Password);
        await Page.GotoAsync($"/#/chat/{conversationId}");
        await Expect(Page.Locator(".chat-connection")).ToHaveAttributeAsync("data-status", "online");
        Assert.Equal(1, Volatile.Read(ref connections));

        // The page's socket is closed exactly as the server closes it when the hello's token expires.
        await live!.CloseAsync(new() { Code = 4401, Reason = "The access token expired: reconnect with a fresh one and hello {since}." });

        // Bob writes meanwhile: Ada gets it on the new socket (live, or replayed after her cursor).
        using var sent = await bobClient.PostAsJsonAsync(
            new Uri($"/api/v1/conversations/{conversationId}/messages", UriKind.Relative), new { clientMessageId = Guid.NewGuid().ToString("N"), text = "While you renewed" }, Ct);
        Assert.True(sent.IsSuccessStatusCode, $"send: {sent.StatusCode}");
        await Expect(Page.Locator(".message-list > .message")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("message-text")).ToHaveTextAsync(["While you renewed"]);
        await Expect(Page.Locator(".chat-connection")).ToHaveAttributeAsync("data-status", "online");
        Assert.Equal(2, Volatile.Read(ref connections));
        Assert.Equal(1, Volatile.Read(ref refreshes)); // the reconnect carried a fresh token

        // And the renewed socket carries Ada's messages.
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).FillAsync("Back again");
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message to" }).PressAsync("Enter");
        await Expect(Page.Locator(".message.is-mine")).Not.ToHaveAttributeAsync("data-status", "sending");
    }
}
