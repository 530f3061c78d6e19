using System.Net.WebSockets;
using Atrium.Chat.Tests.Support;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>A socket that never says hello is closed with 4401 (the timeout is shortened here; the default is 10 s).</summary>
public sealed class HandshakeTimeoutTests(HandshakeTimeoutTests.ShortHelloFixture fixture) : IClassFixture<HandshakeTimeoutTests.ShortHelloFixture>
{
    [Fact]
    public async Task A_socket_without_hello_is_closed_with_4401()
    {
        var socket = ChatSocket.Raw(await fixture.OpenAsync());
        await using var _ = socket;

        Assert.Equal((WebSocketCloseStatus)4401, await socket.ClosedAsync());
    }

    public sealed class ShortHelloFixture() : ChatFixture(new Dictionary<string, string?> { ["Chat:HelloTimeout"] = "00:00:00.300" });
}
