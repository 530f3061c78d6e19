using System.Globalization;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Sockets;

/// <summary>A flood of sends beyond the per-user limit earns <c>error rate_limited</c> with a retry hint; the socket survives.</summary>
public sealed class SendFloodTests(SendFloodTests.StrictSendFixture fixture) : IClassFixture<SendFloodTests.StrictSendFixture>
{
    private const int Burst = 5;
    private const int Flood = 200;

    [Fact]
    public async Task Sends_beyond_the_limit_are_refused_with_rate_limited_and_the_socket_survives()
    {
        await using var socket = new TestSocket(await fixture.OpenSocketAsync(TestContext.Current.CancellationToken)).StartReading();
        await socket.HelloAsync(fixture.Owner.AccessToken);
        for (var i = 0; i < Flood; i++)
        {
            await socket.SendAsync(new { type = "send", conversationId = fixture.World.ConversationId, clientMessageId = $"flood-{i}", text = $"flood {i}" });
        }

        // Every send is answered: stored (sent) or refused (rate_limited, naming the send and when to retry).
        var sent = 0;
        var limited = 0;
        while (sent + limited < Flood)
        {
            var frame = await socket.NextAsync(null, f => f.TryGetProperty("ref", out _) || f.GetProperty("type").GetString() == "sent");
            if (frame.GetProperty("type").GetString() == "sent")
            {
                sent++;
                continue;
            }

            Assert.Equal("rate_limited", frame.GetProperty("code").GetString());
            Assert.StartsWith("flood-", frame.GetProperty("ref").GetString(), StringComparison.Ordinal);
            Assert.True(frame.GetProperty("retryAfterMs").GetInt64() > 0);
            limited++;
        }

        Assert.True(sent >= 1 && limited > 0, $"sent {sent}, limited {limited}");
        await socket.SendAsync(new { type = "ping" });
        await socket.NextAsync("pong");
        Assert.Null(socket.CloseStatus);
    }

    /// <summary>Tiny send limits (the defaults are 20/s with a burst of 40).</summary>
    public sealed class StrictSendFixture() : SecurityFixture(new Dictionary<string, string?>
    {
        ["Chat:UserSendsPerSecond"] = "1",
        ["Chat:UserSendBurst"] = Burst.ToString(CultureInfo.InvariantCulture),
    });
}
