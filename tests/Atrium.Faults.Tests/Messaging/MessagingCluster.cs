using System.Globalization;
using System.Text.RegularExpressions;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// The private backing services of the messaging scenarios: a PostgreSQL primary and a RabbitMQ node (or, for the
/// broker-cluster scenario, a three-node RabbitMQ cluster) started for this test collection only (a scenario kills or
/// restarts the broker, which the shared servers of the distributed test shape must never see). Each scenario takes a
/// <see cref="ClusterSlice"/>.
/// </summary>
public sealed class MessagingCluster : IAsyncLifetime
{
    private readonly bool _brokerCluster;
    private PostgresServer? _postgres;
    private RabbitMqServer? _rabbitMq;
    private RabbitMqCluster? _rabbitMqCluster;

    public MessagingCluster()
        : this(brokerCluster: false)
    {
    }

    private MessagingCluster(bool brokerCluster) => _brokerCluster = brokerCluster;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The single RabbitMQ node (not in the broker-cluster form).</summary>
    public RabbitMqServer RabbitMq => _rabbitMq ?? throw new InvalidOperationException("No single RabbitMQ node has started.");

    /// <summary>The three RabbitMQ nodes (the broker-cluster form only: <see cref="WithBrokerCluster"/>).</summary>
    public RabbitMqCluster RabbitMqCluster => _rabbitMqCluster ?? throw new InvalidOperationException("No RabbitMQ cluster has started.");

    /// <summary>A form with a three-node RabbitMQ cluster instead of one node; the caller initializes and disposes it.</summary>
    public static MessagingCluster WithBrokerCluster() => new(brokerCluster: true);

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var postgres = PostgresServer.StartNewAsync(ct);
        if (_brokerCluster)
        {
            var rabbitMqCluster = RabbitMqCluster.StartNewAsync(ct);
            _postgres = await postgres;
            _rabbitMqCluster = await rabbitMqCluster;
            return;
        }

        var rabbitMq = RabbitMqServer.StartNewAsync(ct);
        _postgres = await postgres;
        _rabbitMq = await rabbitMq;
    }

    /// <summary><c>rabbitmqctl</c> on the broker (a running node of the cluster): queues and connections are cluster-wide.</summary>
    public Task<string> CtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        (_rabbitMqCluster?.AnyRunning ?? RabbitMq).CtlAsync(arguments, cancellationToken);

    /// <summary>A fresh database and virtual host for one scenario.</summary>
    public async Task<ClusterSlice> CreateSliceAsync(string scenario, CancellationToken cancellationToken)
    {
        var name = "f" + scenario[..2] + "_" + Guid.NewGuid().ToString("N")[..12];
        var database = await Postgres.CreateDatabaseAsync(name, cancellationToken);
        if (_rabbitMqCluster is { } brokers)
        {
            await brokers.AddVirtualHostsAsync([name], cancellationToken);
            return new ClusterSlice(database, brokers.ConnectionStringFor(name), name);
        }

        await RabbitMq.AddVirtualHostsAsync([name], cancellationToken);
        return new ClusterSlice(database, RabbitMq.ConnectionStringFor(name), name);
    }

    /// <summary>The queues of a virtual host (name, consumers, ready and unacknowledged messages).</summary>
    public async Task<IReadOnlyList<QueueState>> QueuesAsync(ClusterSlice slice, CancellationToken cancellationToken)
    {
        var output = await CtlAsync(
            ["list_queues", "-p", slice.VirtualHost, "--no-table-headers", "name", "consumers", "messages_ready", "messages_unacknowledged"],
            cancellationToken);
        var queues = new List<QueueState>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', StringSplitOptions.TrimEntries);
            if (columns.Length == 4 && long.TryParse(columns[1], CultureInfo.InvariantCulture, out var consumers))
            {
                queues.Add(new QueueState(columns[0], consumers, Number(columns[2]), Number(columns[3])));
            }
        }

        return queues;
    }

    public async Task<QueueState> QueueAsync(ClusterSlice slice, string queue, CancellationToken cancellationToken) =>
        (await QueuesAsync(slice, cancellationToken)).SingleOrDefault(q => q.Name == queue)
        ?? throw new InvalidOperationException($"Queue {queue} does not exist in virtual host {slice.VirtualHost}.");

    /// <summary>
    /// The broker's ids of the connections the process <paramref name="processId"/> has open to the slice's virtual host
    /// (Atrium names its connection <c>atrium@host/pid</c>).
    /// </summary>
    public async Task<IReadOnlySet<string>> ConnectionsOfAsync(ClusterSlice slice, int processId, CancellationToken cancellationToken)
    {
        var named = new Regex($"\"atrium@[^/\"]*/{processId.ToString(CultureInfo.InvariantCulture)}\"");
        return (await CtlAsync(["list_connections", "--no-table-headers", "pid", "vhost", "client_properties"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length >= 3 && columns[1] == slice.VirtualHost && named.IsMatch(string.Join(' ', columns.Skip(2))))
            .Select(columns => columns[0])
            .ToHashSet();
    }

    /// <summary>
    /// The AMQP ports of the broker nodes the process <paramref name="processId"/> is connected to for the slice's
    /// virtual host: which node of a cluster it uses.
    /// </summary>
    public async Task<IReadOnlySet<int>> BrokerPortsOfAsync(ClusterSlice slice, int processId, CancellationToken cancellationToken)
    {
        var named = new Regex($"\"atrium@[^/\"]*/{processId.ToString(CultureInfo.InvariantCulture)}\"");
        return (await CtlAsync(["list_connections", "--no-table-headers", "port", "vhost", "client_properties"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length >= 3 && columns[1] == slice.VirtualHost && named.IsMatch(string.Join(' ', columns.Skip(2))))
            .Select(columns => int.Parse(columns[0], CultureInfo.InvariantCulture))
            .ToHashSet();
    }

    /// <summary>
    /// Whether any of <paramref name="connections"/> still has a channel open, and the deliveries their channels hold
    /// unacknowledged (one <c>rabbitmqctl</c> call: a frozen node's connection lives only a few heartbeats).
    /// </summary>
    public async Task<(bool Open, long Unacknowledged)> HeldOnAsync(IReadOnlySet<string> connections, CancellationToken cancellationToken)
    {
        var channels = (await CtlAsync(["list_channels", "--no-table-headers", "connection", "messages_unacknowledged"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length == 2 && connections.Contains(columns[0]))
            .ToList();
        return (channels.Count > 0, channels.Sum(columns => Number(columns[1])));
    }

    /// <summary>
    /// The heartbeat timeout the broker offers to connections opened from now on (<c>rabbit.heartbeat</c>, 60 s by
    /// default); a client gets the smaller of its own request and this.
    /// </summary>
    public Task SetHeartbeatAsync(int seconds, CancellationToken cancellationToken) =>
        CtlAsync(["eval", $"application:set_env(rabbit, heartbeat, {seconds.ToString(CultureInfo.InvariantCulture)})."], cancellationToken);

    /// <summary>The heartbeat timeouts (seconds) of the connections to a virtual host.</summary>
    public async Task<IReadOnlyList<long>> HeartbeatsAsync(ClusterSlice slice, CancellationToken cancellationToken)
    {
        var output = await CtlAsync(["list_connections", "--no-table-headers", "vhost", "timeout"], cancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length == 2 && columns[0] == slice.VirtualHost)
            .Select(columns => Number(columns[1]))];
    }

    public async ValueTask DisposeAsync()
    {
        if (_rabbitMq is { } rabbitMq)
        {
            await rabbitMq.DisposeAsync();
        }

        if (_rabbitMqCluster is { } rabbitMqCluster)
        {
            await rabbitMqCluster.DisposeAsync();
        }

        if (_postgres is { } postgres)
        {
            await postgres.DisposeAsync();
        }
    }

    // A queue whose leader is not elected yet reports an empty count.
    private static long Number(string text) => long.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
