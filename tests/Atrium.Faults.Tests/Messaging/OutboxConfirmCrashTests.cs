using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// Scenario 3: kill -9 between the broker's confirm and the deletion of the outbox rows
/// [published at least once, applied once].
/// </summary>
[Collection(MessagingScenarios.Name)]
public sealed class OutboxConfirmCrashTests(MessagingCluster cluster)
{
    private const string Invariant = "published at least once, applied once: every acknowledged click is counted exactly once";

    [Fact]
    public async Task A_crash_after_the_confirm_publishes_the_batch_again_and_the_inbox_applies_it_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger("03-outbox-confirm-crash");
        var slice = await cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var crashAtBatch = RunLength.Pick(5, 25);
        var rounds = RunLength.Pick(30, 300);

        // One node: it takes the redirects, flushes the clicks to the outbox, relays them and consumes them.
        await using var node = await AtriumNode.StartAsync("a", slice, ct, $"{FailPoints.OutboxAfterConfirm}@{crashAtBatch}");
        var client = node.CreateClient();
        var workload = await ClickWorkload.CreateAsync(ledger, client, 10, ct);
        long outboxAfterCrash = -1;
        var crashedAfter = 0L;

        // One redirect at a time, each followed until its event left the outbox (deleted after the confirm) and was
        // applied, or until the node died at the fail point. So when the node dies no click waits in its in-memory
        // buffer (a crash loses those by design, see ClickFlusher): the only event in flight is the one whose batch
        // the broker has confirmed and whose outbox row is not deleted yet.
        for (var round = 0; round < rounds; round++)
        {
            await workload.RedirectAsync(client, workload.Codes[round % workload.Codes.Count], ct);
            var acknowledged = workload.Acknowledged;
            await Eventually.HoldsAsync(
                async () => node.HasExited
                    || (await database.OutboxAsync(ct) == 0 && (await database.ClicksAsync(ct)).Values.Sum() >= acknowledged),
                "the click applied and its outbox row deleted, or the node crashed");
            if (node.HasExited && outboxAfterCrash < 0)
            {
                crashedAfter = acknowledged;
                outboxAfterCrash = await database.OutboxAsync(ct);
                ledger.Fault($"kill -9 (fail point {FailPoints.OutboxAfterConfirm}) at relay batch {crashAtBatch}, after {acknowledged} acknowledged redirects");
                client.Dispose();
                await node.RestartAsync(ct); // without the fail point
                ledger.Fault("node restarted on the same database, fail point disarmed");
                client = node.CreateClient();
            }
        }

        var tally = await Convergence.SettleAsync(cluster, slice, database, ledger, ct);
        var duplicates = await NodeMetrics.DuplicatesAbsorbedAsync(client, ScenarioDatabase.ClickConsumer, ct);
        var applied = await database.InboxAsync(ScenarioDatabase.ClickConsumer, ct);
        client.Dispose();

        await ScenarioResult.ReportAsync(ledger, tally, Invariant, new Dictionary<string, string>
        {
            ["crashed after acknowledged redirects"] = Text(crashedAfter),
            ["outbox rows left by the crash (confirmed, not deleted)"] = Text(outboxAfterCrash),
            ["events applied (inbox rows)"] = Text(applied),
            ["duplicate deliveries absorbed by the inbox"] = Text(duplicates),
        }, ct);

        // The fault really happened where it says: the node died with a confirmed batch still in its outbox, and the
        // batch sent again after the restart reached the consumer a second time (and was skipped there).
        Assert.True(outboxAfterCrash >= 1, $"The crash left {outboxAfterCrash} outbox rows; the fail point did not fire between confirm and delete.");
        Assert.True(duplicates >= 1, "The re-sent batch never reached the consumer as a duplicate.");
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
