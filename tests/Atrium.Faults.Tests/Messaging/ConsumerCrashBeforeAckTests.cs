using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Scenario 5: a consumer killed after its commit, before its ack [no double effect].</summary>
[Collection(MessagingScenarios.Name)]
public sealed class ConsumerCrashBeforeAckTests(MessagingCluster cluster)
{
    private const string Invariant = "no double effect: every acknowledged click is counted exactly once";

    [Fact]
    public async Task A_consumer_killed_between_its_commit_and_its_ack_has_the_message_redelivered_and_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger("05-consumer-crash-before-ack");
        var slice = await cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var crashAtDelivery = RunLength.Pick(5, 40);
        var clicksAfterRestart = RunLength.Pick(100, 3_000);

        // Node a consumes (and dies at the fail point); node b takes every redirect, so no click waits in a's
        // in-memory buffer when it dies, and consumes the same queue, so it is there to get a's unacknowledged messages.
        await using var a = await AtriumNode.StartAsync("a", slice, ct, $"{FailPoints.ConsumerAfterCommit}@{crashAtDelivery}");
        await using var b = await AtriumNode.StartAsync("b", slice, ct);
        await Eventually.HoldsAsync(
            async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2, "both nodes consuming the click queue");
        using var client = b.CreateClient();
        var workload = await ClickWorkload.CreateAsync(ledger, client, 20, ct);

        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(client, drivers: 3, stop.Token, ct);
        await Eventually.HoldsAsync(() => a.HasExited, "node a to die at its fail point", TimeSpan.FromSeconds(60));
        var crashedAfter = workload.Acknowledged;
        ledger.Fault($"kill -9 of node a (fail point {FailPoints.ConsumerAfterCommit}) at its delivery {crashAtDelivery}: committed, not acknowledged");
        await a.RestartAsync(ct); // without the fail point
        ledger.Fault("node a restarted, fail point disarmed");
        await Eventually.HoldsAsync(() => workload.Acknowledged >= crashedAfter + clicksAfterRestart, "the workload to go on after the restart");
        await stop.CancelAsync();
        await running;

        var tally = await Convergence.SettleAsync(cluster, slice, database, ledger, ct);
        long duplicates;
        using (var restarted = a.CreateClient())
        {
            duplicates = await NodeMetrics.DuplicatesAbsorbedAsync(restarted, ScenarioDatabase.ClickConsumer, ct)
                + await NodeMetrics.DuplicatesAbsorbedAsync(client, ScenarioDatabase.ClickConsumer, ct);
        }

        await ScenarioResult.ReportAsync(ledger, tally, Invariant, new Dictionary<string, string>
        {
            ["crashed after acknowledged redirects"] = Text(crashedAfter),
            ["events applied (inbox rows)"] = Text(await database.InboxAsync(ScenarioDatabase.ClickConsumer, ct)),
            ["dead letters"] = Text(await database.DeadLettersAsync(ct)),
            ["duplicate deliveries absorbed by the inbox"] = Text(duplicates),
        }, ct);

        // The committed but unacknowledged delivery came back (to b or to the restarted a) and the inbox skipped it.
        Assert.True(duplicates >= 1, "The delivery committed before the crash was never redelivered as a duplicate.");
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
