using System.Net.WebSockets;
using System.Text;
using Atrium.Security.Tests.Fuzzing;
using Atrium.Security.Tests.Support;
using CsCheck;
using Xunit;

namespace Atrium.Security.Tests.Sockets;

/// <summary>
/// Property: after a valid hello, any sequence of frames — JSON of every shape with known and unknown types and fields of
/// every type, malformed text, binary frames, invalid UTF-8 — leaves the socket either answering (a <c>ping</c> still
/// earns its <c>pong</c>) or closed with a documented code and a reason; never 1011 (a server error), and the node
/// keeps serving others.
/// </summary>
public sealed class SocketFuzzTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private static readonly WebSocketCloseStatus[] Documented =
    [
        WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.MessageTooBig, (WebSocketCloseStatus)1013,
    ];

    [Fact]
    public async Task Any_frames_after_hello_leave_the_socket_answering_or_closed_with_a_documented_code()
    {
        await Frames().Array[1, 8].SampleAsync(
            async frames =>
            {
                await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
                await socket.HelloAsync(fixture.Owner.AccessToken);
                try
                {
                    foreach (var frame in frames)
                    {
                        await socket.SendBytesAsync(frame.Bytes, frame.Type);
                    }

                    await socket.SendTextAsync("{\"type\":\"ping\"}");
                    await socket.NextAsync("pong");
                }
                catch (Exception ex) when (ex is WebSocketException or Xunit.Sdk.FailException)
                {
                    // closed along the way: check how, below
                }

                if (socket.CloseStatus is { } status)
                {
                    Assert.Contains(status, Documented);
                    Assert.False(string.IsNullOrWhiteSpace(socket.CloseReason), $"close {(int)status} without a reason");
                }

                Assert.Equal(0, socket.NonJsonFrames);
            },
            seed: FuzzSettings.Seed,
            iter: Math.Max(10, FuzzSettings.Iterations),
            threads: 1,
            print: frames => string.Join("\n", frames.Select(f => f.ToString())));

        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    private Gen<SocketFrame> Frames() => Gen.Frequency(
        (6, JsonFrames().Select(Text)),
        (2, Gen.OneOf(HostileValues.MalformedJson).Select(Text)),
        (1, Gen.Byte.Array[0, 256].Select(bytes => new SocketFrame(bytes, WebSocketMessageType.Binary))),
        (1, Gen.Select(JsonFrames(), Gen.OneOf(HostileValues.InvalidUtf8), (json, raw) =>
            new SocketFrame([.. raw, .. Encoding.UTF8.GetBytes(json)], WebSocketMessageType.Text))),
        (1, Gen.Int[16 * 1024 - 64, 24 * 1024].Select(n => Text($"{{\"type\":\"send\",\"text\":\"{new string('a', n)}\"}}"))));

    private Gen<string> JsonFrames()
    {
        string[] types = ["send", "ack", "read", "typing", "ping", "hello", "welcome", "sent", "", "SEND", "\\ud800", "a\\u0000"];
        string[] fields = ["conversationId", "clientMessageId", "text", "pos", "seq", "since", "token", "device", "type", "\\udfff"];
        var world = fixture.World;
        var values = HostileValues.AnyJson
            .Concat(HostileValues.JsonStringContents.Select(c => $"\"{c}\""))
            .Concat([$"\"{world.ConversationId}\"", world.ConversationId, $"\"{world.LinkCode}\"", "\"c1\""])
            .ToArray();
        var member = Gen.Select(Gen.OneOf(fields), Gen.OneOf(values), (name, value) => $"\"{name}\":{value}");
        return Gen.Select(Gen.OneOf(types), member.Array[0, 5], Gen.Bool, (type, members, typed) =>
            "{" + string.Join(',', (typed ? members.Prepend($"\"type\":\"{type}\"") : members)) + "}");
    }

    private static SocketFrame Text(string text) => new(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);
}
