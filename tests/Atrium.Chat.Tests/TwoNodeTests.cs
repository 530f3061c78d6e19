using System.Net.WebSockets;
using System.Text.Json;
using Atrium.Chat.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>
/// Two real Atrium processes sharing one PostgreSQL database and one Redis (the distributed shape's settings for one
/// data directory): a sender on node A, a recipient on node B. Node B is killed (SIGKILL) while messages flow; the
/// recipient reconnects to node A with its cursor and ends up with every message exactly once, in seq order.
/// </summary>
public sealed class TwoNodeTests
{
    private const int Messages = 40;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Chat:UserSendsPerSecond"] = "10000",
        ["Chat:UserSendBurst"] = "10000",
        ["Chat:ConversationSendsPerSecond"] = "10000",
        ["Chat:ConversationSendBurst"] = "10000",
        ["Accounts:PasswordIterations"] = "1000",

        // No periodic catch-up reads: a message reaches node B's socket only through node B's Redis channel.
        ["Chat:CatchUpInterval"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(
        Skip = "The embedded shape is one node (SQLite, in-process presence): runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_recipient_whose_node_dies_resumes_on_the_other_node_with_every_message_once_in_order()
    {
        var data = TempDirectory.Create("atrium-chat-two-nodes");
        await using var nodeA = await AtriumProcess.StartAsync(data, Ct, Settings);
        await using var nodeB = await AtriumProcess.StartAsync(data, Ct, Settings);
        using var httpA = nodeA.CreateClient();
        var alice = await TestUsers.SignUpAsync(httpA, Ct);
        var bob = await TestUsers.SignUpAsync(httpA, Ct);
        httpA.As(alice);
        var id = (await httpA.CreateConversationAsync([bob.Username])).Id();

        await using var sender = await ConnectAsync(nodeA, alice.AccessToken, since: null);
        var recipient = await ConnectAsync(nodeB, bob.AccessToken, since: null);
        var received = new List<JsonElement>();
        var sending = SendAllAsync(sender, id);

        // Live across nodes: sent on A, delivered on B.
        while (received.Count < 10)
        {
            received.Add(await recipient.NextAsync(f => f.IsMessage(id), "a message on node B"));
        }

        await nodeB.KillAsync();
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, await recipient.ClosedAsync());
        var cursor = received[^1].Pos();
        await recipient.DisposeAsync();

        // The client's rule: resume from the last event it processed; it keeps what came before.
        await using var resumed = await ConnectAsync(nodeA, bob.AccessToken, since: cursor);
        await sending;
        var rest = await resumed.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == Messages, "the last message on node A");
        Assert.All(rest, e => Assert.True(e.Pos() > cursor));
        received.AddRange(rest.Where(f => f.IsMessage(id)));

        Assert.Equal(Enumerable.Range(1, Messages).Select(i => (long)i), received.Select(f => f.Seq()));
        Assert.Equal(Enumerable.Range(1, Messages).Select(i => $"m{i}"), received.Select(f => f.Text()));
        Assert.Equal(received.Count, received.Select(f => f.Pos()).Distinct().Count());
    }

    private static async Task SendAllAsync(ChatSocket sender, string id)
    {
        for (var i = 1; i <= Messages; i++)
        {
            await sender.SendAsync(new { type = "send", conversationId = id, clientMessageId = $"c{i}", text = $"m{i}" });
            var sent = await sender.NextAsync(f => f.Type() == "sent", $"sent {i}");
            Assert.Equal(i, sent.GetProperty("seq").GetInt64());
        }
    }

    private static async Task<ChatSocket> ConnectAsync(AtriumProcess node, string token, long? since)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(node.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        await socket.ConnectAsync(uri, Ct);
        return await ChatSocket.HelloAsync(socket, token, since);
    }
}
