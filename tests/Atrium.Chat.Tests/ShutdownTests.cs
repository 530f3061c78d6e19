using Atrium.Chat.Tests.Support;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>A node that shuts down gracefully closes its sockets with 1012, so clients reconnect elsewhere at once.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_closes_sockets_with_1012()
    {
        var fixture = new ChatFixture();
        var alice = await fixture.NewUserAsync();
        var socket = await fixture.ConnectAsync(alice);

        var stopping = fixture.DisposeAsync().AsTask();
        var status = await socket.ClosedAsync();
        await stopping;
        await socket.DisposeAsync();

        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)1012, status);
    }
}
