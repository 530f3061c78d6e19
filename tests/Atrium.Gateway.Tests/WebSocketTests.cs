using System.Net.WebSockets;
using System.Text;
using Atrium.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Atrium.Gateway.Tests;

public sealed class WebSocketTests
{
    /// <summary>The chat's WebSocket gateway will sit behind Atrium.Gateway: an upgrade and its frames pass through.</summary>
    [Fact]
    public async Task A_websocket_passes_through_the_gateway()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var echo = await StartEchoServerAsync(ct);
        var (gateway, address) = await TestCluster.StartGatewayAsync([new Uri(echo.Urls.Single())], null, ct);
        await using var _ = gateway;

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/echo"), ct);
        await socket.SendAsync("hello through the gateway"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, ct);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, ct);

        Assert.Equal("hello through the gateway", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
    }

    private static async Task<WebApplication> StartEchoServerAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () => Results.Ok());
        app.Map("/echo", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            await socket.ReceiveAsync(buffer, context.RequestAborted); // the client's close, answered
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return app;
    }
}
