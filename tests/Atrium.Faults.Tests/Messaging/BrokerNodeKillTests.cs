using System.Diagnostics;
using System.Globalization;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// Scenario 16: kill -9 the RabbitMQ node an Atrium node is connected to, in a three-node cluster, while redirects
/// publish click events and both Atrium nodes consume them [no event lost; duplicates absorbed by the inbox; the
/// nodes move to a live broker by themselves and consumption resumes]. Atrium is given the three nodes' URIs
/// (<c>ConnectionStrings:RabbitMQ</c>, comma-separated); the click queue is a quorum queue with a replica on each node.
/// </summary>
[Collection(BrokerClusterScenarios.Name)]
public sealed class BrokerNodeKillTests(BrokerCluster brokers)
{
    private const string Invariant =
        "no event lost, duplicates absorbed by the inbox: every acknowledged click is counted exactly once, through kill -9 of a broker node";

    private MessagingCluster Cluster => brokers.Messaging;

    [Fact]
    public async Task Killing_the_broker_node_a_server_uses_loses_no_event_and_consumption_moves_to_a_live_node()
    {
        var ct = TestContext.Current.CancellationToken;
        var progress = new Progress();
        var ledger = new OperationLedger("16-rabbitmq-node-kill");
        var slice = await Cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var rabbit = Cluster.RabbitMqCluster;
        var kills = RunLength.Pick(1, 3);
        var clicksPerPhase = RunLength.Pick(100, 2_000);
        var measurements = new Dictionary<string, string>();

        await using var a = await AtriumNode.StartAsync("a", slice, ct);
        await using var b = await AtriumNode.StartAsync("b", slice, ct);
        progress.Step("nodes started");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var workload = await ClickWorkload.CreateAsync(ledger, clientA, 20, ct);
        await Eventually.HoldsAsync(
            async () => (await Cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2, "both nodes consuming the click queue");

        // Declared while all three brokers run, the quorum queue has a replica on each (the default initial group size).
        var replicas = (await rabbit.QuorumQueuesAsync(slice.VirtualHost, ct)).Single(q => q.Name == Convergence.ClickQueue);
        Assert.Equal(rabbit.Nodes.Select(node => node.NodeName).Order(), replicas.Members.Order());
        measurements["click queue replicas"] = string.Join(", ", replicas.Members);

        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(workload.RunAsync(clientA, 2, stop.Token, ct), workload.RunAsync(clientB, 2, stop.Token, ct));
        long outboxPeak = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            var flowing = workload.Acknowledged + clicksPerPhase;
            await Eventually.HoldsAsync(
                async () => (await database.ClicksAsync(ct)).Values.Sum() >= flowing, "clicks flowing before the kill", TimeSpan.FromSeconds(90));

            // The broker node server a is connected to: its publishes and its consumer go down with it.
            var port = (await Eventually.ReachesAsync(
                () => Cluster.BrokerPortsOfAsync(slice, a.Process.ProcessId, ct), ports => ports.Count == 1,
                "node a connected to one broker node")).Single();
            var victim = rabbit.NodeOnPort(port);
            var index = rabbit.Nodes.ToList().IndexOf(victim);
            var leader = (await rabbit.QuorumQueuesAsync(slice.VirtualHost, ct)).Single(q => q.Name == Convergence.ClickQueue).Leader;
            var acknowledgedAtKill = workload.Acknowledged;
            var clock = Stopwatch.StartNew();
            await rabbit.KillAsync(index, ct);
            ledger.Fault($"kill -9 broker node {index + 1} ({(leader == victim.NodeName ? "the click queue's leader" : "a follower of the click queue")}), "
                + $"node a's broker, after {acknowledgedAtKill} acknowledged redirects");
            progress.Step($"killed broker node {index + 1} (port {port}; click queue leader was {leader})");

            // Consumption resumes: clicks acknowledged after the kill are applied, through the two live nodes.
            var resumedBeyond = acknowledgedAtKill + Math.Max(20, clicksPerPhase / 10);
            await Eventually.HoldsAsync(async () =>
            {
                outboxPeak = Math.Max(outboxPeak, await database.OutboxAsync(ct));
                return (await database.ClicksAsync(ct)).Values.Sum() >= resumedBeyond;
            }, "clicks acknowledged after the kill applied", TimeSpan.FromSeconds(120));
            var resumed = clock.Elapsed;
            await Eventually.HoldsAsync(
                async () => (await Cluster.BrokerPortsOfAsync(slice, a.Process.ProcessId, ct)) is { Count: 1 } now && !now.Contains(port),
                "node a reconnected to a live broker node", TimeSpan.FromSeconds(120));
            await Eventually.HoldsAsync(
                async () => (await Cluster.QueueAsync(slice, Convergence.ClickQueue, ct)).Consumers == 2,
                "both nodes consuming again", TimeSpan.FromSeconds(120));
            var consuming = clock.Elapsed;
            progress.Step($"consumption resumed after {resumed.TotalSeconds:0.0} s; both consuming after {consuming.TotalSeconds:0.0} s");
            measurements[$"kill {kill}: clicks applied again after (s)"] = Seconds(resumed);
            measurements[$"kill {kill}: both servers consuming again after (s)"] = Seconds(consuming);

            var during = workload.Acknowledged + clicksPerPhase;
            await Eventually.HoldsAsync(() => workload.Acknowledged >= during, "the workload to go on with a node down", TimeSpan.FromSeconds(120));
            if (RunLength.IsFull)
            {
                // The full form brings the node back before the next kill (it rejoins and its replica catches up); the
                // short form ends on two nodes (a restart costs ≈ 30 s on 2 busy cores; RabbitMqClusterTests covers it).
                await rabbit.StartAsync(index, ct);
                ledger.Fault($"broker node {index + 1} restarted on its data after {workload.Acknowledged} acknowledged redirects");
                progress.Step($"broker node {index + 1} back in the cluster");
            }
        }

        var after = workload.Acknowledged + clicksPerPhase;
        await Eventually.HoldsAsync(() => workload.Acknowledged >= after, "the workload to go on after the kills", TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await running;

        progress.Step("workload stopped");
        var tally = await Convergence.SettleAsync(Cluster, slice, database, ledger, ct);
        progress.Step("settled");
        measurements["left in the outbox"] = Text(await database.OutboxAsync(ct));
        measurements["outbox rows waiting (peak seen after a kill)"] = Text(outboxPeak);
        measurements["dead letters"] = Text(await database.DeadLettersAsync(ct));
        measurements["events applied (inbox rows)"] = Text(await database.InboxAsync(ScenarioDatabase.ClickConsumer, ct));
        measurements["duplicate deliveries absorbed by the inbox"] = Text(
            await NodeMetrics.DuplicatesAbsorbedAsync(clientA, ScenarioDatabase.ClickConsumer, ct)
            + await NodeMetrics.DuplicatesAbsorbedAsync(clientB, ScenarioDatabase.ClickConsumer, ct));
        await ScenarioResult.ReportAsync(ledger, tally, Invariant, measurements, ct);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
