using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Sockets;

/// <summary>
/// Hostile input on <c>/ws</c> (docs/chat-protocol.md): a frame the server cannot use is answered with
/// <c>error bad_request</c> and the socket stays usable; a frame over 16 KiB (whole or in fragments) closes it with
/// 1009; a bad first frame closes it with 4400 or 4401 — always with a reason — and the node is unharmed after each.
/// </summary>
public sealed class HostileSocketTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private const int MaxFrameBytes = 16 * 1024;

    public static TheoryData<string> GarbageFrames() =>
    [
        "garbage", "{", "[]", "\"hello\"", "null", "42", "{\"type\":5}", "{\"type\":null}", "{\"type\":\"nope\"}", "{\"type\":\"\"}",
        "{\"type\":\"send\"}", "{\"type\":\"send\",\"conversationId\":\"abc\"}", "{\"type\":\"send\",\"conversationId\":{}}",
        "{\"type\":\"send\",\"conversationId\":\"99999999999999999999999\",\"clientMessageId\":\"x\",\"text\":\"t\"}",
        "{\"type\":\"ack\",\"pos\":-5}", "{\"type\":\"ack\",\"pos\":\"x\"}", "{\"type\":\"read\",\"conversationId\":\"1\"}",
        "{\"type\":\"read\",\"conversationId\":\"1\",\"seq\":9223372036854775807}", "{\"type\":\"typing\"}",
        "{\"type\":\"hello\",\"token\":\"again\"}", "{\"type\":\"ping\",\"type\":\"send\"}", "{\"type\":\"typing\",\"conversationId\":\"-1\"}",
        "{\"type\":\"send\",\"conversationId\":\"1\",\"clientMessageId\":\"\\ud800\",\"text\":\"\\udfff\"}",
        "{\"type\":\"\\ud800\"}", "{\"\\ud800\":1,\"type\":\"ping\"}", "{\"type\":\"send\",\"conversationId\":\"1\",\"text\":\"a\\u0000b\",\"clientMessageId\":\"c\"}",
    ];

    [Theory]
    [MemberData(nameof(GarbageFrames))]
    public async Task A_frame_of_the_wrong_shape_gets_an_error_and_the_socket_stays_usable(string frame)
    {
        await using var socket = await SignedInSocketAsync();
        await socket.SendTextAsync(frame);
        await socket.SendAsync(new { type = "ping" });
        await socket.NextAsync("pong"); // the socket still answers, after whatever the bad frame earned
        Assert.Null(socket.CloseStatus);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task A_frame_of_another_conversation_is_not_found()
    {
        await using var socket = await SignedInSocketAsync(fixture.Stranger.AccessToken);
        var clientMessageId = Guid.NewGuid().ToString("N");
        await socket.SendAsync(new { type = "send", conversationId = fixture.World.ConversationId, clientMessageId, text = "let me in" });
        var error = await socket.NextAsync("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal(clientMessageId, error.GetProperty("ref").GetString());
        await socket.SendAsync(new { type = "read", conversationId = fixture.World.ConversationId, seq = 1 });
        Assert.Equal("not_found", (await socket.NextAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_binary_frame_gets_a_bad_request_error()
    {
        await using var socket = await SignedInSocketAsync();
        await socket.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"), WebSocketMessageType.Binary);
        var error = await socket.NextAsync("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        await socket.SendAsync(new { type = "ping" });
        await socket.NextAsync("pong");
    }

    [Fact]
    public async Task An_unknown_frame_type_gets_a_bad_request_error_naming_it()
    {
        await using var socket = await SignedInSocketAsync();
        await socket.SendAsync(new { type = "subscribe", channel = "everything" });
        var error = await socket.NextAsync("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Contains("subscribe", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a lone surrogate, encoded
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong
    public async Task Invalid_utf8_in_a_text_frame_closes_the_socket_with_1007_or_is_refused(byte[] raw)
    {
        await using var socket = await SignedInSocketAsync();
        var prefix = "{\"type\":\"send\",\"conversationId\":\"1\",\"clientMessageId\":\"c\",\"text\":\""u8.ToArray();
        await socket.SendBytesAsync([.. prefix, .. raw, .. "\"}"u8.ToArray()], WebSocketMessageType.Text);
        await socket.SendAsync(new { type = "ping" });
        await AnswersOrClosesAsync(socket, WebSocketCloseStatus.InvalidPayloadData);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task A_frame_over_16_KiB_closes_the_socket_with_1009()
    {
        await using var socket = await SignedInSocketAsync();
        var text = new string('a', MaxFrameBytes + 1);
        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "send", conversationId = fixture.World.ConversationId, clientMessageId = "big", text }));
        await SocketChecks.ClosedWithAsync(socket, WebSocketCloseStatus.MessageTooBig);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task A_giant_message_in_small_fragments_closes_the_socket_with_1009()
    {
        await using var socket = await SignedInSocketAsync();
        var fragment = new byte[1024];
        Array.Fill(fragment, (byte)' ');
        try
        {
            // 1 MiB in 1 KiB fragments, never finished: the server must stop reading at 16 KiB, not buffer it all.
            for (var i = 0; i < 1024 && socket.CloseStatus is null; i++)
            {
                await socket.SendBytesAsync(fragment, WebSocketMessageType.Text, endOfMessage: false);
            }
        }
        catch (WebSocketException)
        {
            // the server closed while we were still sending
        }

        await SocketChecks.ClosedWithAsync(socket, WebSocketCloseStatus.MessageTooBig);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task An_oversized_hello_closes_the_socket_with_1009()
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "hello", token = new string('x', MaxFrameBytes * 2) }));
        await SocketChecks.ClosedWithAsync(socket, WebSocketCloseStatus.MessageTooBig);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("{\"type\":\"ping\"}")]
    [InlineData("{\"type\":\"hello\"}")]
    [InlineData("{\"type\":\"hello\",\"token\":\"\"}")]
    [InlineData("{\"type\":\"hello\",\"token\":42}")]
    [InlineData("[]")]
    public async Task A_first_frame_that_is_not_a_hello_closes_the_socket_with_4400(string frame)
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendTextAsync(frame);
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4400);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task A_binary_first_frame_closes_the_socket_with_4400()
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendBytesAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "hello", token = fixture.Owner.AccessToken })), WebSocketMessageType.Binary);
        await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4400);
    }

    [Theory]
    [InlineData("{\"type\":\"hello\",\"token\":\"x\",\"device\":\"\\ud800\"}")]
    [InlineData("{\"type\":\"hello\",\"token\":\"x\",\"since\":\"never\"}")]
    [InlineData("{\"type\":\"hello\",\"token\":\"\\ud800\"}")]
    public async Task A_hello_with_broken_fields_closes_the_socket_with_a_close_code(string frame)
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.SendTextAsync(frame);
        var status = await socket.ClosedAsync();
        Assert.True(status is (WebSocketCloseStatus)4400 or (WebSocketCloseStatus)4401, $"closed with {(int?)status} '{socket.CloseReason}'");
        Assert.False(string.IsNullOrWhiteSpace(socket.CloseReason));
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    [Fact]
    public async Task A_flood_of_pings_is_answered_or_closed_as_a_slow_consumer_and_harms_no_one()
    {
        // The client sends 5,000 pings without reading a single pong, then starts reading.
        var raw = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken));
        await using var socket = raw;
        await socket.SendTextAsync(JsonSerializer.Serialize(new { type = "hello", token = fixture.Owner.AccessToken }));
        var ping = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
        try
        {
            for (var i = 0; i < 5_000; i++)
            {
                await socket.SendBytesAsync(ping, WebSocketMessageType.Text);
            }

            await socket.SendAsync(new { type = "hello", token = "marks the end" });
        }
        catch (WebSocketException)
        {
            // closed as a slow consumer while we flooded
        }

        socket.StartReading();
        await AnswersOrClosesAsync(socket, (WebSocketCloseStatus)1013);
        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    private async Task<TestSocket> SignedInSocketAsync(string? token = null)
    {
        var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.HelloAsync(token ?? fixture.Owner.AccessToken);
        return socket;
    }

    /// <summary>Either the socket answered the last frame (a <c>pong</c> or an error) or closed with <paramref name="close"/> and a reason.</summary>
    private static async Task AnswersOrClosesAsync(TestSocket socket, WebSocketCloseStatus close)
    {
        try
        {
            await socket.NextAsync("error");
            return;
        }
        catch (Xunit.Sdk.FailException)
        {
            // closed before an answer: check how
        }

        await SocketChecks.ClosedWithAsync(socket, close);
    }
}
