using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 1: kill -9 a server while links, posts, chat messages and accounts are written through it, restart it; every
/// acknowledged write is readable afterwards exactly as acknowledged (same code and target, same post text, same message
/// seq and text, an account that signs in). Writes whose answer was lost (unknown) may or may not exist; none exists twice.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class KillServerTests(FaultCluster cluster)
{
    private const string Scenario = "01-kill-server";

    [Fact]
    public async Task Every_acknowledged_write_survives_kill_9_of_the_server_that_took_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var victim = cluster.Nodes[0];
        var survivor = cluster.Nodes[1];
        try
        {
            using var setup = survivor.CreateClient();
            var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AtriumApi.SignUpAsync(setup, cancellationToken)));
            var conversation = await AtriumApi.CreateConversationAsync(setup, users[0], users.Skip(1).Select(u => u.Username), "kill -9", cancellationToken);

            using var writes = victim.CreateClient(TimeSpan.FromSeconds(10));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writers = users.Select((user, index) => WriteAsync(ledger, writes, user, index, conversation, stop.Token)).ToArray();

            // Kill once the writes are flowing: a while, and at least a few acknowledged writes of each kind (a busy
            // machine is slower, not wrong).
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15)), cancellationToken);
            await Eventually.HoldsAsync(
                () => new[] { AtriumApi.LinkCreate, AtriumApi.PostCreate, AtriumApi.ChatSend }.All(kind => ledger.Acknowledged(kind).Count >= 3),
                "acknowledged links, posts and messages before the kill",
                TimeSpan.FromSeconds(120));
            ledger.Fault($"kill -9 {victim.Name} during writes");
            await victim.KillAsync();
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)), cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            ledger.Fault($"restart {victim.Name} on the same database");
            await victim.StartAsync(cancellationToken);
            await cluster.Replica.WaitForReplayAsync(cancellationToken: cancellationToken);

            // Read back through the restarted node (what it serves now) and check copies in the database.
            using var reads = victim.CreateClient();
            TestUser OwnerOf(string key) => users[int.Parse(key.Split('-')[^2], CultureInfo.InvariantCulture)];
            long lost = 0;
            foreach (var link in ledger.Acknowledged(AtriumApi.LinkCreate))
            {
                var target = AtriumApi.TargetOf(link.Key);
                if (await Readback.LinkTargetAsync(reads, OwnerOf(link.Key), link.Value!, cancellationToken) != target
                    || await Readback.RedirectTargetAsync(reads, link.Value!, cancellationToken) != target)
                {
                    lost++;
                }
            }

            foreach (var post in ledger.Acknowledged(AtriumApi.PostCreate))
            {
                if (await Readback.PostTextAsync(reads, OwnerOf(post.Key), post.Value!, cancellationToken) != AtriumApi.PostTextOf(post.Key))
                {
                    lost++;
                }
            }

            foreach (var account in ledger.Acknowledged(AtriumApi.SignUp))
            {
                lost += await AtriumApi.CanSignInAsync(reads, account.Key, cancellationToken) ? 0 : 1;
            }

            var history = await Readback.HistoryAsync(reads, users[0], conversation, cancellationToken);
            var acknowledgedMessages = ledger.Acknowledged(AtriumApi.ChatSend).ToDictionary(o => o.Key, o => long.Parse(o.Value!, CultureInfo.InvariantCulture));
            var stream = StreamCheck.Check(history, history.Count == 0 ? 0 : history[^1].Seq, acknowledgedMessages, AtriumApi.MessageTextOf);
            lost += stream.Lost;

            var prefix = $"{Scenario}-";
            var links = await Effects.LinksAsync(cluster.Database, AtriumApi.TargetOf(prefix), cancellationToken);
            var posts = await Effects.PostsAsync(cluster.Database, AtriumApi.PostTextOf(prefix), cancellationToken);
            var messages = await Effects.MessagesAsync(cluster.Database, prefix, cancellationToken);
            var duplicated = Effects.Duplicates(links) + Effects.Duplicates(posts) + Effects.Duplicates(messages) + stream.Duplicated;
            var unknown = ledger.Operations.Where(o => o.Outcome == Outcome.Unknown).ToList();
            var unknownApplied = unknown.Count(o => o.Kind switch
            {
                AtriumApi.LinkCreate => links.ContainsKey(AtriumApi.TargetOf(o.Key)),
                AtriumApi.PostCreate => posts.ContainsKey(AtriumApi.PostTextOf(o.Key)),
                AtriumApi.ChatSend => messages.ContainsKey(o.Key),
                _ => false,
            });
            foreach (var account in unknown.Where(o => o.Kind == AtriumApi.SignUp))
            {
                unknownApplied += await AtriumApi.CanSignInAsync(reads, account.Key, cancellationToken) ? 1 : 0;
            }

            var summary = ledger.Summarize(lost, duplicated, "every acknowledged link, post and message reads back exactly as acknowledged after kill -9 and restart, every acknowledged account signs in; nothing stored twice", new Dictionary<string, string>
            {
                ["acknowledged links / posts / messages / accounts"] = $"{ledger.Acknowledged(AtriumApi.LinkCreate).Count} / {ledger.Acknowledged(AtriumApi.PostCreate).Count} / {acknowledgedMessages.Count} / {ledger.Acknowledged(AtriumApi.SignUp).Count}",
                ["unknown writes that were applied"] = $"{unknownApplied} of {unknown.Count}",
                ["conversation seqs gap-free"] = (stream.MissingSeqs == 0 && stream.OutOfOrder == 0).ToString(),
            });
            await summary.WriteAsync(cancellationToken);

            Assert.True(ledger.Acknowledged(AtriumApi.LinkCreate).Count > 0 && ledger.Acknowledged(AtriumApi.PostCreate).Count > 0 && acknowledgedMessages.Count > 0, "The workload wrote nothing before the kill.");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, stream.MissingSeqs + stream.OutOfOrder);
        }
        finally
        {
            await cluster.HealAsync(cancellationToken);
        }
    }

    /// <summary>One user's writes, in turn a link, a post, a message and a new account, until stopped; keys are "scenario-user-n".</summary>
    private static async Task WriteAsync(OperationLedger ledger, HttpClient client, TestUser user, int index, string conversation, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"{Scenario}-{index}-{n}";
            var answer = (n % 4) switch
            {
                0 => await AtriumApi.CreateLinkAsync(ledger, client, user, key, null, CancellationToken.None),
                1 => await AtriumApi.CreatePostAsync(ledger, client, user, key, CancellationToken.None),
                2 => await AtriumApi.SendMessageAsync(ledger, client, user, conversation, key, CancellationToken.None),
                _ => await AtriumApi.RegisterAsync(ledger, client, $"k{Guid.NewGuid():N}"[..20], CancellationToken.None),
            };
            if (!answer.IsOk)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
