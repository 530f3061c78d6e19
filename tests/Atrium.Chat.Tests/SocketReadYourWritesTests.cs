using Atrium.Chat.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>
/// Read-your-writes for a message sent over the socket, on PostgreSQL with a replica held behind: the sender's
/// history and sync reads see it at once and for as long as the replica stays behind. It starts its own primary and
/// replica (it pauses replay, which would stall every other test on the shared ones).
/// </summary>
public sealed class SocketReadYourWritesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task A_message_sent_over_the_socket_is_in_the_senders_history_and_sync_while_the_replica_lags()
    {
        await using var primary = await PostgresServer.StartNewAsync(Ct);
        var replica = await primary.StartReplicaAsync(Ct);
        var database = $"own_{Guid.NewGuid():N}";
        await primary.CreateDatabaseAsync(database, Ct);
        await using var app = new AtriumApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = primary.ConnectionStringFor(database),
            ["ConnectionStrings:PostgresReplicas"] = replica.ConnectionStringFor(database),
            ["Atrium:Database:ReadYourWritesWindow"] = Window.ToString(),
            ["Atrium:Database:MaxReplicaLag"] = MaxLag.ToString(),
            ["Atrium:Database:ReplicaCheckInterval"] = Probe.ToString(),
        });
        try
        {
            var alice = await NewUserAsync(app);
            var bob = await NewUserAsync(app);
            var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
            await using var socket = await ChatSocket.HelloAsync(
                await app.Server.CreateWebSocketClient().ConnectAsync(new Uri(app.Server.BaseAddress, "ws"), Ct), alice.User.AccessToken);
            var since = socket.Welcome.GetProperty("pos").GetInt64();

            // Alice's HTTP writes above pinned her reads to the primary: wait the pins out, so that only what the
            // socket does can pin her. Then someone else writes, so the replica has just replayed a commit (it is
            // current by any measure) and stops replaying.
            await Task.Delay(Window + MaxLag + (2 * Probe) + TimeSpan.FromSeconds(0.5), Ct);
            await bob.Http.CreateConversationAsync([alice.Username], "someone else's write");
            await replica.WaitForReplayAsync(cancellationToken: Ct);
            await replica.PauseReplayAsync(Ct);

            await socket.SendAsync(new { type = "send", conversationId = id, clientMessageId = "ryw-1", text = "read me back" });
            var messageId = (await socket.NextAsync(f => f.Type() == "sent", "sent")).GetProperty("messageId").GetString()!;
            Assert.Equal("0", await replica.QueryAsync($"SELECT count(*) FROM chat_messages WHERE message_id = {messageId}", database, Ct)); // behind, really

            // Right after the send, and on every read while the replica stays behind (past the pin, the lag monitor has
            // taken the replica out of rotation), Alice's history and sync have the message.
            var until = DateTimeOffset.UtcNow + Window + (2 * MaxLag) + (4 * Probe);
            var reads = 0;
            do
            {
                var history = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages");
                Assert.Contains(history.GetProperty("items").EnumerateArray(), m => m.GetProperty("messageId").GetString() == messageId);
                var sync = await alice.Http.GetJsonAsync($"/api/v1/sync?since={since}");
                Assert.Contains(sync.GetProperty("events").EnumerateArray(), e => e.GetRawText().Contains(messageId, StringComparison.Ordinal));
                reads++;
                await Task.Delay(250, Ct);
            }
            while (DateTimeOffset.UtcNow < until);

            Assert.True(reads > 1);
        }
        finally
        {
            await replica.ResumeReplayAsync(CancellationToken.None);
            TryDelete(app.DataDirectory);
        }
    }

    private static async Task<ChatUser> NewUserAsync(AtriumApp app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var user = await TestUsers.SignUpAsync(client, Ct);
        return new ChatUser(user, client.As(user));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held: the temp directory is cleaned by the OS
        }
    }
}
