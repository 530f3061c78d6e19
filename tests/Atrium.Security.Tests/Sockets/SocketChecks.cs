using System.Net.WebSockets;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Sockets;

/// <summary>What every hostile-socket test ends with: the node is unharmed.</summary>
internal static class SocketChecks
{
    /// <summary>A fresh client on the same node signs in, sends a message and receives it back as a stream event.</summary>
    public static async Task NodeIsHealthyAsync(SecurityFixture fixture)
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.HelloAsync(fixture.Owner.AccessToken);
        var clientMessageId = Guid.NewGuid().ToString("N");
        var text = $"still fine {clientMessageId}";
        await socket.SendAsync(new { type = "send", conversationId = fixture.World.ConversationId, clientMessageId, text });
        var sent = await socket.NextAsync("sent", f => f.GetProperty("clientMessageId").GetString() == clientMessageId);
        Assert.True(sent.GetProperty("seq").GetInt64() > 0);
        await socket.NextAsync("message", f => f.GetProperty("message").GetProperty("text").GetString() == text);
    }

    /// <summary>The server closed the socket with <paramref name="expected"/> and said why.</summary>
    public static async Task ClosedWithAsync(TestSocket socket, WebSocketCloseStatus expected)
    {
        var status = await socket.ClosedAsync();
        Assert.True(status == expected, $"Expected close {(int)expected}, got {(int?)status} '{socket.CloseReason}'.");
        Assert.False(string.IsNullOrWhiteSpace(socket.CloseReason), $"Close {(int)expected} came without a reason.");
    }
}
