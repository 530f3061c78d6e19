using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Scenario 4: kill -9 RabbitMQ mid-workload and restart it [no event lost; duplicates absorbed by the inbox].</summary>
[Collection(MessagingScenarios.Name)]
public sealed class BrokerKillTests(MessagingCluster cluster)
{
    private const string Invariant = "no event lost, duplicates absorbed by the inbox: every acknowledged click is counted exactly once";

    [Fact]
    public async Task Killing_the_broker_loses_no_event_and_the_nodes_reconnect_by_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var progress = new Progress();
        var ledger = new OperationLedger("04-broker-kill");
        var slice = await cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var kills = RunLength.Pick(1, 3);
        var clicksPerPhase = RunLength.Pick(100, 2_000);

        await using var a = await AtriumNode.StartAsync("a", slice, ct);
        await using var b = await AtriumNode.StartAsync("b", slice, ct);
        progress.Step("nodes started");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var workload = await ClickWorkload.CreateAsync(ledger, clientA, 20, ct);
        await Eventually.HoldsAsync(
            async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2, "both nodes consuming the click queue");

        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(workload.RunAsync(clientA, 2, stop.Token, ct), workload.RunAsync(clientB, 2, stop.Token, ct));
        long outboxPeak = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            // Kill only once the workload has run a while and its clicks are flowing end to end (RabbitMqServer.KillAsync:
            // on 3.10 a quorum queue killed milliseconds after its declaration can come back without its messages).
            var before = workload.Acknowledged + clicksPerPhase;
            await Eventually.HoldsAsync(
                async () => (await database.ClicksAsync(ct)).Values.Sum() >= before, "clicks flowing before the kill", TimeSpan.FromSeconds(90));
            progress.Step("clicks flowing");
            await cluster.RabbitMq.KillAsync(ct);
            ledger.Fault($"kill -9 RabbitMQ ({kill}/{kills}) after {workload.Acknowledged} acknowledged redirects");

            // Redirects go on while the broker is down; their events wait in the outbox.
            var down = workload.Acknowledged + clicksPerPhase;
            await Eventually.HoldsAsync(async () =>
            {
                outboxPeak = Math.Max(outboxPeak, await database.OutboxAsync(ct));
                return workload.Acknowledged >= down && outboxPeak > 0;
            }, "redirects acknowledged and events held in the outbox while the broker is down", TimeSpan.FromSeconds(90));

            progress.Step($"outbox holding {outboxPeak} events");
            await cluster.RabbitMq.StartAsync(ct);
            progress.Step("broker restarted");
            ledger.Fault($"RabbitMQ restarted on its data after {workload.Acknowledged} acknowledged redirects");

            // Nothing is restarted on the nodes' side: their connections recover and both consume again.
            try
            {
                await Eventually.HoldsAsync(
                    async () => (await cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2,
                    "both nodes consuming again after the broker's restart", TimeSpan.FromSeconds(120));
            }
            catch (TimeoutException)
            {
                await Convergence.DescribeAsync(cluster, slice, database, "Not consuming again", ct);
                throw;
            }
        }

        progress.Step("both consuming again");
        var after = workload.Acknowledged + clicksPerPhase;
        await Eventually.HoldsAsync(() => workload.Acknowledged >= after, "the workload to go on after the restart");
        await stop.CancelAsync();
        await running;

        progress.Step("workload stopped");
        var tally = await Convergence.SettleAsync(cluster, slice, database, ledger, ct);
        progress.Step("settled");
        var duplicates = await NodeMetrics.DuplicatesAbsorbedAsync(clientA, ScenarioDatabase.ClickConsumer, ct)
            + await NodeMetrics.DuplicatesAbsorbedAsync(clientB, ScenarioDatabase.ClickConsumer, ct);
        var queues = await cluster.QueuesAsync(slice, ct);
        await ScenarioResult.ReportAsync(ledger, tally, Invariant, new Dictionary<string, string>
        {
            ["left in the outbox"] = Text(await database.OutboxAsync(ct)),
            ["queues (ready/unacknowledged)"] = string.Join("; ", queues.Select(q => $"{q.Name} {q.Ready}/{q.Unacknowledged}")),
            ["dead letters"] = Text(await database.DeadLettersAsync(ct)),
            ["outbox rows held while the broker was down (peak seen)"] = Text(outboxPeak),
            ["events applied (inbox rows)"] = Text(await database.InboxAsync(ScenarioDatabase.ClickConsumer, ct)),
            ["duplicate deliveries absorbed by the inbox"] = Text(duplicates),
        }, ct);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
