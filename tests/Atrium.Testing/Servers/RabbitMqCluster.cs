using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>
/// Three RabbitMQ nodes (<see cref="RabbitMqServer"/>) on loopback, clustered with <c>rabbitmqctl join_cluster</c>:
/// distinct node names and ports, one Erlang cookie and one private epmd (the nodes find each other through it).
/// Quorum queues declared while all three run get a member on each (RabbitMQ's default initial group size is 3).
/// Starting takes about three node starts plus the joins (≈ 20-60 s on 2 busy cores): one per test class or collection.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    private const int Size = 3;

    private readonly string _root;
    private readonly ServerProcess _epmd;
    private readonly RabbitMqServer[] _nodes;

    private RabbitMqCluster(string root, ServerProcess epmd, RabbitMqServer[] nodes)
    {
        _root = root;
        _epmd = epmd;
        _nodes = nodes;
    }

    public IReadOnlyList<RabbitMqServer> Nodes => _nodes;

    /// <summary>Every node's AMQP URI, comma-separated: the format of <c>ConnectionStrings:RabbitMQ</c> for a cluster.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(node => node.ConnectionString));

    /// <summary><see cref="ConnectionString"/> for virtual host <paramref name="virtualHost"/>.</summary>
    public string ConnectionStringFor(string virtualHost) => string.Join(',', _nodes.Select(node => node.ConnectionStringFor(virtualHost)));

    /// <summary>A running node, for commands about the whole cluster (definitions, queues and connections are cluster-wide).</summary>
    public RabbitMqServer AnyRunning => _nodes.FirstOrDefault(node => node.IsRunning)
        ?? throw new InvalidOperationException("No node of the RabbitMQ cluster is running.");

    public static async Task<RabbitMqCluster> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var root = TempDirectory.Create("atrium-rabbitmq-cluster");
        var epmdPort = LoopbackPort.Next();
        ServerProcess epmd;
        try
        {
            epmd = await RabbitMqServer.StartEpmdAsync(epmdPort, cancellationToken);
        }
        catch
        {
            Command.TryDeleteDirectory(root);
            throw;
        }

        var cookie = Guid.NewGuid().ToString("N").ToUpperInvariant();
        var id = Guid.NewGuid().ToString("N")[..8];
        var starting = Enumerable.Range(1, Size)
            .Select(i => RabbitMqServer.StartMemberAsync(
                Path.Combine(root, "node" + i), string.Create(CultureInfo.InvariantCulture, $"atrium_{id}_{i}@localhost"), epmdPort, cookie, cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // A member that failed disposed itself; the others, epmd and the directory go here.
            foreach (var task in starting.Where(task => task.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync();
            }

            await epmd.KillAsync();
            Command.TryDeleteDirectory(root);
            throw;
        }

        var nodes = starting.Select(task => task.Result).ToArray();
        var cluster = new RabbitMqCluster(root, epmd, nodes);
        try
        {
            // One at a time: each joiner resets its fresh node and copies the cluster's schema from node 1.
            foreach (var node in nodes.Skip(1))
            {
                await node.StopAppAsync(cancellationToken);
                await node.CtlAsync(["join_cluster", nodes[0].NodeName], cancellationToken);
                await node.StartAppAsync(cancellationToken);
            }

            await cluster.WaitUntilAllRunningAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>rabbitmqctl</c> on a running node (<see cref="AnyRunning"/>).</summary>
    public Task<string> CtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        AnyRunning.CtlAsync(arguments, cancellationToken);

    /// <summary>Virtual hosts with every permission for guest (cluster-wide, through a running node).</summary>
    public Task AddVirtualHostsAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default) =>
        AnyRunning.AddVirtualHostsAsync(names, cancellationToken);

    /// <summary>The node listening on AMQP port <paramref name="port"/> (e.g. the one a client is connected to).</summary>
    public RabbitMqServer NodeOnPort(int port) => _nodes.Single(node => node.Port == port);

    /// <summary>SIGKILL to node <paramref name="index"/>'s Erlang VM and helpers (<see cref="RabbitMqServer.KillAsync"/>): a crash.</summary>
    public Task KillAsync(int index, CancellationToken cancellationToken = default) => _nodes[index].KillAsync(cancellationToken);

    /// <summary>Starts node <paramref name="index"/> again on its data: it rejoins the cluster by itself.</summary>
    public async Task StartAsync(int index, CancellationToken cancellationToken = default)
    {
        await _nodes[index].StartAsync(cancellationToken);
        await WaitUntilAllRunningAsync(cancellationToken);
    }

    /// <summary>The running members node <paramref name="node"/> sees in its cluster (3 when all are together).</summary>
    public static async Task<int> RunningMembersSeenByAsync(RabbitMqServer node, CancellationToken cancellationToken = default) =>
        int.Parse(await node.CtlAsync(["eval", "length(rabbit_nodes:all_running())."], cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>
    /// The quorum queues of a virtual host with their leader, members and online members (node names), as
    /// <c>rabbitmqctl list_queues name leader members online</c> reports them.
    /// </summary>
    public async Task<IReadOnlyList<QuorumQueueMembers>> QuorumQueuesAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        var output = await CtlAsync(
            ["list_queues", "-p", virtualHost, "--no-table-headers", "name", "type", "leader", "members", "online"], cancellationToken);
        var queues = new List<QuorumQueueMembers>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', StringSplitOptions.TrimEntries);
            if (columns.Length == 5 && columns[1] == "quorum")
            {
                queues.Add(new QuorumQueueMembers(columns[0], columns[2], NodeList(columns[3]), NodeList(columns[4])));
            }
        }

        return queues;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(node => node.DisposeAsync().AsTask()));
        await _epmd.KillAsync();
        Command.TryDeleteDirectory(_root);
    }

    /// <summary>The pids of every node's processes and the shared epmd now (for tests of the cleanup).</summary>
    internal IReadOnlyList<int> ProcessIds() => [.. _nodes.SelectMany(node => node.ProcessIds()), .. _epmd.ProcessIds()];

    private async Task WaitUntilAllRunningAsync(CancellationToken cancellationToken) =>
        await Poll.UntilAsync(
            async token => await RunningMembersSeenByAsync(_nodes[0].IsRunning ? _nodes[0] : AnyRunning, token) == Size,
            TimeSpan.FromSeconds(90),
            () => "The RabbitMQ cluster did not have all three nodes running.",
            cancellationToken,
            TimeSpan.FromMilliseconds(500));

    // "[a@localhost, b@localhost]"
    private static IReadOnlyList<string> NodeList(string text) =>
        [.. text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
