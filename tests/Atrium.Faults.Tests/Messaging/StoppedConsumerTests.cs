using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// Scenario 7: SIGSTOP a consumer past the heartbeat, then SIGCONT [another takes over; single effect]. Asserted: the
/// frozen node held deliveries (unacknowledged on its connection, counted at the broker) and, while it is still frozen,
/// the other node applies every click acknowledged before the broker closed the frozen node's connection, its
/// deliveries included (a transaction it froze inside is ended by PostgreSQL after
/// <c>ConsumerRunner.StalledTransactionTimeout</c>); after the resume nothing is applied twice.
/// </summary>
[Collection(MessagingScenarios.Name)]
public sealed class StoppedConsumerTests(MessagingCluster cluster)
{
    private const string Invariant = "another node takes over, single effect: every acknowledged click is counted exactly once";

    /// <summary>
    /// The broker's heartbeat offer for this scenario's connections (Atrium asks for 10 s; the smaller wins): the
    /// broker then closes a frozen node's connection after a few seconds instead of ten or more.
    /// </summary>
    private const int HeartbeatSeconds = 3;

    [Fact]
    public async Task A_consumer_frozen_past_the_heartbeat_is_replaced_and_its_late_work_is_absorbed()
    {
        var ct = TestContext.Current.CancellationToken;
        var progress = new Progress();
        var ledger = new OperationLedger("07-stopped-consumer");
        var slice = await cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var clicksPerPhase = RunLength.Pick(100, 2_000);
        var pauses = RunLength.Pick(1, 3);

        await cluster.SetHeartbeatAsync(HeartbeatSeconds, ct);
        try
        {
            // Both nodes consume the click queue; b takes every redirect (a frozen node answers nothing).
            await using var a = await AtriumNode.StartAsync("a", slice, ct);
            await using var b = await AtriumNode.StartAsync("b", slice, ct);
            await Eventually.HoldsAsync(
                async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2, "both nodes consuming the click queue");
            var heartbeats = await cluster.HeartbeatsAsync(slice, ct);
            using var client = b.CreateClient();
            var workload = await ClickWorkload.CreateAsync(ledger, client, 20, ct);
            progress.Step("nodes started");

            using var stop = new CancellationTokenSource();
            var running = workload.RunAsync(client, drivers: 3, stop.Token, ct);
            var takeovers = new List<string>();
            var heldByFrozen = new List<long>();
            for (var pause = 1; pause <= pauses; pause++)
            {
                var flowing = workload.Acknowledged + clicksPerPhase;
                await Eventually.HoldsAsync(
                    async () => (await database.ClicksAsync(ct)).Values.Sum() >= flowing, "clicks flowing through both nodes", TimeSpan.FromSeconds(90));

                var connectionsOfA = await cluster.ConnectionsOfAsync(slice, a.Process.ProcessId, ct);
                Assert.NotEmpty(connectionsOfA); // else what a holds could not be counted
                await a.PauseAsync(ct);
                ledger.Fault($"SIGSTOP node a ({pause}/{pauses}) after {workload.Acknowledged} acknowledged redirects");
                progress.Step("a stopped");
                long held = 0;
                await Eventually.HoldsAsync(
                    async () =>
                    {
                        var (open, unacknowledged) = await cluster.HeldOnAsync(connectionsOfA, ct);
                        held = Math.Max(held, unacknowledged);
                        return !open;
                    },
                    "the broker to close the frozen node's connection (missed heartbeats)", TimeSpan.FromSeconds(90));
                heldByFrozen.Add(held);
                await Eventually.HoldsAsync(
                    async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 1,
                    "the click queue to have one consumer left", TimeSpan.FromSeconds(90));
                var cutoff = workload.Acknowledged;
                ledger.Fault($"the broker closed the connection of node a (missed heartbeats) after {cutoff} acknowledged redirects");
                progress.Step("a's connection closed by the broker");

                // While a is still frozen, b is handed a's unacknowledged deliveries and applies everything acknowledged
                // so far (if a froze inside a transaction, PostgreSQL ends it after 15 s idle and b applies that event too).
                await Eventually.HoldsAsync(
                    async () => (await database.ClicksAsync(ct)).Values.Sum() >= cutoff,
                    "b to apply every click acknowledged before a's connection closed, while a is still frozen", TimeSpan.FromSeconds(90));
                takeovers.Add($"a held {held} deliveries; b applied all {cutoff} acknowledged clicks before a resumed");
                progress.Step("takeover: " + takeovers[^1]);

                await a.ResumeAsync(ct);
                ledger.Fault($"SIGCONT node a ({pause}/{pauses})");
                await Eventually.HoldsAsync(
                    async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2,
                    "node a to reconnect and consume again by itself", TimeSpan.FromSeconds(90));
                progress.Step("a consuming again");
            }

            var after = workload.Acknowledged + clicksPerPhase;
            await Eventually.HoldsAsync(() => workload.Acknowledged >= after, "the workload to go on after the resume");
            await stop.CancelAsync();
            await running;

            var tally = await Convergence.SettleAsync(cluster, slice, database, ledger, ct);
            progress.Step("settled");
            long duplicates;
            using (var resumed = a.CreateClient())
            {
                duplicates = await NodeMetrics.DuplicatesAbsorbedAsync(resumed, ScenarioDatabase.ClickConsumer, ct)
                    + await NodeMetrics.DuplicatesAbsorbedAsync(client, ScenarioDatabase.ClickConsumer, ct);
            }

            await ScenarioResult.ReportAsync(ledger, tally, Invariant, new Dictionary<string, string>
            {
                ["heartbeat timeout negotiated (s)"] = string.Join(",", heartbeats.Distinct()),
                ["takeover while frozen"] = string.Join("; ", takeovers),
                ["events applied (inbox rows)"] = Text(await database.InboxAsync(ScenarioDatabase.ClickConsumer, ct)),
                ["dead letters"] = Text(await database.DeadLettersAsync(ct)),
                ["duplicate deliveries absorbed by the inbox"] = Text(duplicates),
            }, ct);

            // What was taken over: the frozen node did hold deliveries when the broker closed its connection. Seen either
            // at the broker (a's connection, polled while it lives: a slow rabbitmqctl can miss it) or afterwards, as a's
            // late work on deliveries b had already applied, absorbed by the inbox.
            Assert.True(heldByFrozen.Sum() > 0 || duplicates > 0,
                "Node a held no deliveries while frozen (none seen at the broker, no late work absorbed): the takeover was not exercised.");
        }
        finally
        {
            await cluster.SetHeartbeatAsync(60, CancellationToken.None);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
