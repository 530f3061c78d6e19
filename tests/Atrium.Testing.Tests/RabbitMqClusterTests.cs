using System.Diagnostics;
using System.Text;
using Atrium.Testing.Servers;
using RabbitMQ.Client;
using Xunit;

namespace Atrium.Testing.Tests;

/// <summary>
/// The three-node cluster of the harness: one cluster for the class (tests in a class run one at a time; the kill test
/// brings its node back). Connections go through the client's endpoint list, as Atrium's do.
/// </summary>
public sealed class RabbitMqClusterTests(RabbitMqClusterFixture fixture) : IClassFixture<RabbitMqClusterFixture>
{
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private RabbitMqCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Three_nodes_form_one_cluster_and_a_quorum_queue_has_a_member_on_each()
    {
        Assert.Equal(3, Cluster.Nodes.Select(node => node.NodeName).Distinct().Count());
        Assert.Equal(3, Cluster.Nodes.Select(node => node.Port).Distinct().Count());
        foreach (var node in Cluster.Nodes)
        {
            Assert.Equal(3, await RabbitMqCluster.RunningMembersSeenByAsync(node, Cancellation));
        }

        var queue = NewQueueName();
        await using var connection = await ConnectAsync(Cluster.Nodes[0]);
        await using var channel = await OpenChannelAsync(connection, queue);

        var members = (await Cluster.QuorumQueuesAsync("/", Cancellation)).Single(q => q.Name == queue);
        Assert.Equal(Cluster.Nodes.Select(node => node.NodeName).Order(), members.Members.Order());
    }

    [Fact]
    public async Task A_killed_node_leaves_the_queue_writable_and_rejoins_with_its_replica_when_started_again()
    {
        var queue = NewQueueName();
        await using (var connection = await ConnectAsync(Cluster.Nodes[0]))
        {
            await using var channel = await OpenChannelAsync(connection, queue);
            await Task.Delay(TimeSpan.FromSeconds(2), Cancellation); // RabbitMqServer.KillAsync: a queue killed at birth loses its term
            await PublishAsync(channel, queue, "before");
        }

        var victim = Cluster.Nodes[1];
        var pids = victim.ProcessIds();
        await Cluster.KillAsync(1, Cancellation);
        try
        {
            Assert.False(victim.IsRunning);
            Assert.All(pids, pid => Assert.False(ProcessTree.IsAlive(pid), $"pid {pid} of the killed node still runs"));

            // Two of three replicas are a majority: confirms still come, through a surviving node.
            await using var connection = await ConnectAsync(Cluster.Nodes[2]);
            await using var channel = await OpenChannelAsync(connection, queue);
            await PublishAsync(channel, queue, "during");
        }
        finally
        {
            var watch = Stopwatch.StartNew();
            await Cluster.StartAsync(1, Cancellation);
            TestContext.Current.TestOutputHelper?.WriteLine($"killed node back in the cluster after {watch.Elapsed.TotalSeconds:0.0} s");
        }

        Assert.Equal(3, await RabbitMqCluster.RunningMembersSeenByAsync(victim, Cancellation));
        await Eventually.HoldsAsync(
            async () => (await Cluster.QuorumQueuesAsync("/", Cancellation)).Single(q => q.Name == queue).Online.Count == 3,
            "the restarted node's replica online again", TimeSpan.FromSeconds(60));
        await using var again = await ConnectAsync(victim);
        await using var reopened = await OpenChannelAsync(again, queue);
        Assert.Equal("before", await GetAsync(reopened, queue));
        Assert.Equal("during", await GetAsync(reopened, queue));
    }

    private static string NewQueueName() => $"test.{Guid.NewGuid():N}";

    private static Task<IConnection> ConnectAsync(RabbitMqServer node) =>
        new ConnectionFactory { Uri = new Uri(node.ConnectionString), AutomaticRecoveryEnabled = false }.CreateConnectionAsync(Cancellation);

    private static async Task<IChannel> OpenChannelAsync(IConnection connection, string queue)
    {
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            Cancellation);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, Quorum, cancellationToken: Cancellation);
        return channel;
    }

    private static async Task PublishAsync(IChannel channel, string queue, string text) =>
        await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(text), Cancellation);

    private static async Task<string> GetAsync(IChannel channel, string queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true, Cancellation);
            if (message is not null)
            {
                return Encoding.UTF8.GetString(message.Body.Span);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message in {queue} within 30 s.");
            await Task.Delay(100, Cancellation);
        }
    }
}
