using System.Globalization;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using Atrium.Chat.Data;
using Atrium.Chat.Delivery;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;
using Atrium.Chat.Sockets;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Endpoints;

/// <summary>
/// <c>GET /ws</c>: the chat socket (docs/chat-protocol.md). The upgrade is anonymous; the first frame, <c>hello</c>,
/// carries the access token. Then: <c>welcome</c>, the replay of the stream after <c>since</c>, live events — until the
/// token expires (close 4401: the client reconnects with a fresh one).
/// </summary>
internal static class ChatSocketEndpoint
{
    public static IEndpointRouteBuilder MapChatSocket(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ws", ConnectAsync).WithName("ChatSocket").WithTags("Chat").ExcludeFromDescription();
        return routes;
    }

    public static async Task ConnectAsync(
        HttpContext http, HelloAuthenticator authenticator, ConnectionHub hub, IPresenceRegistry registry, PresenceNotifier presence,
        StreamStore streams, ReceiptStore receipts, ChatViews views, SocketServices services, IOptions<ChatOptions> options)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Problems.Validation("GET /ws is a WebSocket endpoint: send an upgrade request.").ExecuteAsync(http);
            return;
        }

        var aborted = http.RequestAborted;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        var (hello, failure, reason) = await HelloReader.ReadAsync(socket, options.Value.HelloTimeout, services.Time, aborted);
        if (hello is null)
        {
            await CloseAsync(socket, failure, reason, aborted);
            return;
        }

        if (await authenticator.AuthenticateAsync(http, hello.Token!) is not { } identity)
        {
            await SendAsync(socket, ChatJson.Serialize(new ErrorFrame("unauthorized", "The access token is invalid or expired.")), aborted);
            await CloseAsync(socket, ChatCloseCodes.Unauthorized, "Invalid or expired token.", aborted);
            return;
        }

        if (hello.Device is { } named && !ClientIds.IsValid(named))
        {
            await CloseAsync(socket, ChatCloseCodes.BadHello, "device must be 1-64 visible ASCII characters.", aborted);
            return;
        }

        var userId = identity.UserId;

        // The upgrade was anonymous: sign the socket's user in on it, so that the writes made through this socket pin
        // the user's reads to the primary (read-your-writes, IWritePins) as an HTTP write does.
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CurrentUser.IdClaim, userId.ToString(CultureInfo.InvariantCulture))], "hello"));
        var since = hello.Since ?? (hello.Device is { } device ? await receipts.DevicePositionAsync(userId, device, aborted) : null);
        var connection = new ChatConnection(socket, userId, hello.Device, identity.ExpiresAt, services, aborted);
        if (!hub.Add(connection, out var first))
        {
            await CloseAsync(socket, ChatCloseCodes.ServiceRestart, "The server is restarting.", aborted);
            return;
        }

        try
        {
            if (first)
            {
                await registry.AddAsync(userId, aborted);
                presence.Changed(userId);
            }

            // Registered before the head is read: an event committed after this read reaches the socket as a push.
            var (head, pruned) = await streams.BoundsAsync(userId, primary: true, aborted);

            // A cursor from before the retained stream cannot be replayed without a gap: say so (reset), go live from the head.
            var reset = since < pruned;
            var start = since is { } s && !reset ? Math.Clamp(s, 0, head) : head;
            var welcome = ChatJson.Serialize(new WelcomeFrame(await views.UserAsync(userId, aborted), head, reset));
            await connection.RunAsync(welcome, start, replay: start < head);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the client went away during the handshake
        }
        finally
        {
            if (hub.Remove(connection))
            {
                await registry.RemoveAsync(userId, CancellationToken.None);
                await streams.SetLastSeenAsync(userId, services.Time.GetUtcNow(), CancellationToken.None);
                presence.Changed(userId);
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, string frame, CancellationToken ct) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>Sends the close frame (the client answers it, which ends any pending receive), within a few seconds.</summary>
    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                socket.Abort();
            }
        }
    }
}
