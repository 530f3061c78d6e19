using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Scenario 7: SIGSTOP a consumer past the heartbeat, then SIGCONT [another takes over; single effect].</summary>
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
            for (var pause = 1; pause <= pauses; pause++)
            {
                var flowing = workload.Acknowledged + clicksPerPhase;
                await Eventually.HoldsAsync(
                    async () => (await database.ClicksAsync(ct)).Values.Sum() >= flowing, "clicks flowing through both nodes", TimeSpan.FromSeconds(90));

                await a.PauseAsync(ct);
                ledger.Fault($"SIGSTOP node a ({pause}/{pauses}) after {workload.Acknowledged} acknowledged redirects");
                progress.Step("a stopped");
                await Eventually.HoldsAsync(
                    async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 1,
                    "the broker to close the frozen node's connection (missed heartbeats)", TimeSpan.FromSeconds(90));
                var cutoff = workload.Acknowledged;
                ledger.Fault($"the broker closed the connection of node a (missed heartbeats) after {cutoff} acknowledged redirects");
                progress.Step("a's connection closed by the broker");

                // While a is still frozen, b is handed a's unacknowledged deliveries and applies everything acknowledged
                // so far — unless a froze inside a transaction whose inbox row b must wait for (then a's resume decides).
                var tookOver = await TryHoldsAsync(async () => (await database.ClicksAsync(ct)).Values.Sum() >= cutoff);
                takeovers.Add(tookOver ? "b applied all before a resumed" : "b waited for a's open transaction");
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
        }
        finally
        {
            await cluster.SetHeartbeatAsync(60, CancellationToken.None);
        }
    }

    /// <summary>Whether the condition comes to hold within a generous while (a measurement, not an assertion).</summary>
    private static async Task<bool> TryHoldsAsync(Func<Task<bool>> condition)
    {
        try
        {
            await Eventually.HoldsAsync(condition, "b to take over", TimeSpan.FromSeconds(30));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
