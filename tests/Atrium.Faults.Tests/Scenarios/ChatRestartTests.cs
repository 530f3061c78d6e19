using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 8: several users send to a few conversations at once while the nodes are killed (-9) and restarted one
/// after the other. Every reader (one socket per user, resuming with <c>hello {since}</c> on whichever node is up)
/// sees, per conversation, seqs strictly increasing and gap-free from 1, no acknowledged message missing, none twice.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class ChatRestartTests(FaultCluster cluster)
{
    private const string Scenario = "08-chat-restarts";

    [Fact]
    public async Task Readers_see_every_conversation_gap_free_and_once_while_nodes_restart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var readers = new List<ChatReader>();
        try
        {
            using var setup = cluster.Nodes[0].CreateClient();
            var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AtriumApi.SignUpAsync(setup, cancellationToken)));
            (string Id, TestUser[] Members)[] conversations =
            [
                (await AtriumApi.CreateConversationAsync(setup, users[0], users.Skip(1).Select(u => u.Username), "everyone", cancellationToken), users),
                (await AtriumApi.CreateConversationAsync(setup, users[1], [users[2].Username, users[3].Username], "three", cancellationToken), users[1..]),
                (await AtriumApi.CreateConversationAsync(setup, users[0], [users[1].Username], null, cancellationToken), users[..2]),
            ];

            var clients = cluster.Nodes.Select(n => n.CreateClient(TimeSpan.FromSeconds(10))).ToArray();
            for (var i = 0; i < users.Length; i++)
            {
                var home = i % cluster.Nodes.Count;
                var reader = new ChatReader(users[i], () => RunningNode(home).BaseAddress);
                await reader.StartAsync(cancellationToken);
                readers.Add(reader);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var senders = users.Select((user, index) => SendAsync(ledger, clients, user, index, [.. Enumerable.Range(0, conversations.Length).Where(c => conversations[c].Members.Contains(user)).Select(c => (conversations[c].Id, c))], stop.Token)).ToArray();

            var pause = RunLength.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
            foreach (var node in cluster.Nodes)
            {
                await Task.Delay(pause, cancellationToken);
                ledger.Fault($"kill -9 {node.Name} (senders and readers on it)");
                await node.KillAsync();
                await Task.Delay(pause, cancellationToken);
                ledger.Fault($"restart {node.Name}");
                await node.StartAsync(cancellationToken);
            }

            await Task.Delay(pause, cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            var violations = StreamViolations.None;
            var acknowledged = ledger.Acknowledged(AtriumApi.ChatSend)
                .GroupBy(o => o.Key).Select(g => g.First())
                .ToDictionary(o => o.Key, o => long.Parse(o.Value!, CultureInfo.InvariantCulture));
            var lastSeqs = new Dictionary<string, long>();
            for (var c = 0; c < conversations.Length; c++)
            {
                var (conversation, members) = conversations[c];
                var lastSeq = await Readback.LastSeqAsync(clients[0], members[0], conversation, cancellationToken);
                lastSeqs[conversation] = lastSeq;
                var sentHere = acknowledged.Where(a => a.Key.StartsWith(KeyPrefix(c), StringComparison.Ordinal)).ToDictionary(a => a.Key, a => a.Value);
                foreach (var reader in readers.Where(r => members.Contains(r.User)))
                {
                    await reader.WaitForAsync(conversation, lastSeq);
                    violations = violations.Add(StreamCheck.Check(reader.MessagesOf(conversation), lastSeq, sentHere, AtriumApi.MessageTextOf));
                }
            }

            var stored = await Effects.MessagesAsync(cluster.Database, Scenario, cancellationToken);
            var gaps = readers.Sum(r => r.PosGaps);
            var duplicated = violations.Duplicated + Effects.Duplicates(stored);
            var summary = ledger.Summarize(violations.Lost, duplicated, "per conversation, every reader sees seq 1..n strictly increasing, gap-free, each once; every acknowledged message with its seq and text", new Dictionary<string, string>
            {
                ["messages acknowledged"] = acknowledged.Count.ToString(CultureInfo.InvariantCulture),
                ["messages per conversation"] = string.Join(", ", lastSeqs.Values),
                ["reader reconnects"] = readers.Sum(r => r.Connections - 1).ToString(CultureInfo.InvariantCulture),
                ["out-of-order / missing seqs / pos gaps"] = $"{violations.OutOfOrder} / {violations.MissingSeqs} / {gaps}",
            });
            await summary.WriteAsync(cancellationToken);

            Assert.NotEmpty(acknowledged);
            Assert.Equal(0, violations.Lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, violations.OutOfOrder);
            Assert.Equal(0, violations.MissingSeqs);
            Assert.Equal(0, gaps);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }

            await cluster.HealAsync(cancellationToken);
        }
    }

    private AppProcess RunningNode(int preferred) =>
        cluster.Nodes[preferred].IsRunning ? cluster.Nodes[preferred] : cluster.Nodes.FirstOrDefault(n => n.IsRunning) ?? cluster.Nodes[preferred];

    private static string KeyPrefix(int conversation) => $"{Scenario}-c{conversation.ToString(CultureInfo.InvariantCulture)}-";

    /// <summary>One user's sends, round-robin over their conversations and over the nodes that are up, until stopped.</summary>
    private async Task SendAsync(OperationLedger ledger, HttpClient[] clients, TestUser user, int index, (string Id, int Index)[] conversations, CancellationToken stop)
    {
        var nodes = cluster.Nodes.ToList();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var (conversation, conversationIndex) = conversations[n % conversations.Length];
            var key = string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix(conversationIndex)}u{index}-{n}");
            var attempt = n;
            await ReliableSender.SendAsync(ledger, () => clients[nodes.IndexOf(RunningNode(attempt++ % nodes.Count))], user, conversation, key, stop);
        }
    }
}
