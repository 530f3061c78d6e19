using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>
/// A throwaway Redis Cluster from the Debian package: <see cref="Masters"/> masters with one replica each, every node a
/// <c>redis-server --cluster-enabled yes</c> child process on 127.0.0.1 (its bus on port + 10,000), formed with
/// <c>redis-cli --cluster create … --cluster-replicas 1</c>. No persistence (a cache). Failure detection is quick for
/// tests (<see cref="NodeTimeoutMs"/>), and a master down leaves the other slots serving
/// (<c>cluster-require-full-coverage no</c>). Starts in a few seconds: one per test class.
/// Has only database 0: tests that share one isolate by their own keys, or call <see cref="FlushAsync"/>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    public const int Masters = 3;

    /// <summary><c>cluster-node-timeout</c>: a master silent this long is suspected, then failed over by its replica.</summary>
    public const int NodeTimeoutMs = 2_000;

    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly List<RedisServer> _nodes = [];
    private bool _disposed;

    private RedisCluster(string directory) => _directory = directory;

    /// <summary>All nodes, masters and replicas (which is which changes with failovers: <see cref="NodesAsync"/>).</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>StackExchange.Redis format, every node listed (the client discovers the topology from any one alive).</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.ConnectionString));

    public static async Task<RedisCluster> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var cluster = new RedisCluster(TempDirectory.Create("atrium-redis-cluster"));
        try
        {
            string[] arguments =
            [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", NodeTimeoutMs.ToString(CultureInfo.InvariantCulture),
                "--cluster-require-full-coverage", "no", "--cluster-replica-validity-factor", "0",
            ];
            var starts = Enumerable.Range(0, Masters * 2).Select(i =>
            {
                var directory = Path.Combine(cluster._directory, i.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(directory);
                return RedisServer.StartClusterNodeAsync(LoopbackPort.NextWithBus(), directory, arguments, cancellationToken);
            }).ToList();
            foreach (var start in starts)
            {
                cluster._nodes.Add(await start);
            }

            await Command.RunCheckedAsync(
                Command.For(
                    ServerBinaries.Find("redis-cli", "redis-tools"),
                    ["--cluster", "create", .. cluster._nodes.Select(n => n.ConnectionString), "--cluster-replicas", "1", "--cluster-yes"]),
                FormTimeout,
                cancellationToken);
            await cluster.WaitUntilHealthyAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster as a running node sees it (its <c>CLUSTER NODES</c>).</summary>
    public async Task<IReadOnlyList<RedisClusterNode>> NodesAsync(CancellationToken cancellationToken = default)
    {
        var node = _nodes.FirstOrDefault(n => n.IsRunning) ?? throw new InvalidOperationException("No node of the cluster is running.");
        return RedisClusterNode.Parse(await CliAsync(node, ["cluster", "nodes"], cancellationToken));
    }

    /// <summary>
    /// kill -9 of the master serving <paramref name="key"/>'s slot (any master when null); returns it, with the port
    /// of the replica that should take its place.
    /// </summary>
    public async Task<(RedisServer Master, int ReplicaPort)> KillMasterAsync(string? key = null, CancellationToken cancellationToken = default)
    {
        var nodes = await NodesAsync(cancellationToken);
        var masters = nodes.Where(n => n.IsMaster && !n.Failed && n.Slots.Count > 0).ToList();
        RedisClusterNode master;
        if (key is null)
        {
            master = masters[0];
        }
        else
        {
            var slot = int.Parse(await CliAsync(_nodes.First(n => n.IsRunning), ["cluster", "keyslot", key], cancellationToken), CultureInfo.InvariantCulture);
            master = masters.Single(m => m.Serves(slot));
        }

        return await KillAsync(nodes, master, cancellationToken);
    }

    /// <summary>kill -9 of the master on <paramref name="port"/>; returns it, with the port of the replica that should take its place.</summary>
    public async Task<(RedisServer Master, int ReplicaPort)> KillMasterOnPortAsync(int port, CancellationToken cancellationToken = default)
    {
        var nodes = await NodesAsync(cancellationToken);
        return await KillAsync(nodes, nodes.Single(n => n.Port == port && n.IsMaster), cancellationToken);
    }

    /// <summary>Waits until the replica on <paramref name="replicaPort"/> is a master with slots and the cluster is ok again.</summary>
    public Task WaitForPromotionAsync(int replicaPort, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            async token => (await NodesAsync(token)).Any(n => n.Port == replicaPort && n.IsMaster && !n.Failed && n.Slots.Count > 0)
                && await AllRunningSayOkAsync(token),
            FailoverTimeout,
            () => $"the replica on port {replicaPort} was not promoted. {Describe()}",
            cancellationToken,
            TimeSpan.FromMilliseconds(200));

    /// <summary>Starts a killed node again (empty, same port and nodes.conf): it rejoins, as a replica of whoever took its slots.</summary>
    public async Task RestartAsync(RedisServer node, CancellationToken cancellationToken = default)
    {
        await node.StartAsync(cancellationToken);
        await WaitUntilHealthyAsync(cancellationToken);
    }

    /// <summary>FLUSHALL on every master: an empty cluster for the next test of a class that shares one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (var master in (await NodesAsync(cancellationToken)).Where(n => n.IsMaster && !n.Failed))
        {
            await CliAsync(_nodes.Single(n => n.Port == master.Port), ["flushall"], cancellationToken);
        }
    }

    /// <summary>
    /// Until every node runs and says <c>cluster_state:ok</c>, every master with slots is up, every replica's link to its
    /// master is up, and the one asked knows all the nodes.
    /// </summary>
    public Task WaitUntilHealthyAsync(CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            async token =>
            {
                if (_nodes.Any(n => !n.IsRunning) || !await AllRunningSayOkAsync(token))
                {
                    return false;
                }

                var nodes = await NodesAsync(token);
                if (nodes.Count != _nodes.Count || nodes.Any(n => n.Failed) || nodes.Count(n => n.IsMaster && n.Slots.Count > 0) != Masters)
                {
                    return false;
                }

                foreach (var replica in nodes.Where(n => !n.IsMaster))
                {
                    var info = await CliAsync(_nodes.Single(s => s.Port == replica.Port), ["info", "replication"], token);
                    if (!info.Contains("master_link_status:up", StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            },
            FormTimeout,
            () => $"the cluster did not become healthy. {Describe()}",
            cancellationToken,
            TimeSpan.FromMilliseconds(200));

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
            Command.TryDeleteDirectory(_directory);
        }
    }

    private async Task<(RedisServer Master, int ReplicaPort)> KillAsync(
        IReadOnlyList<RedisClusterNode> nodes, RedisClusterNode master, CancellationToken cancellationToken)
    {
        var replica = nodes.First(n => n.MasterId == master.Id);
        var server = _nodes.Single(n => n.Port == master.Port);
        await server.StopAsync(cancellationToken);
        return (server, replica.Port);
    }

    private static async Task<string> CliAsync(RedisServer node, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        (await Command.RunCheckedAsync(
            Command.For(ServerBinaries.Find("redis-cli", "redis-tools"), ["-h", "127.0.0.1", "-p", node.Port.ToString(CultureInfo.InvariantCulture), .. arguments]),
            TimeSpan.FromSeconds(10),
            cancellationToken)).StandardOutput;

    private async Task<bool> AllRunningSayOkAsync(CancellationToken cancellationToken)
    {
        foreach (var node in _nodes.Where(n => n.IsRunning))
        {
            var info = await Command.RunAsync(
                Command.For(ServerBinaries.Find("redis-cli", "redis-tools"), ["-h", "127.0.0.1", "-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]),
                TimeSpan.FromSeconds(10),
                cancellationToken);
            if (!info.StandardOutput.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private string Describe() =>
        string.Join("; ", _nodes.Select(n => $"node {n.Port} {(n.IsRunning ? "running" : "stopped")}")) + ". Last log lines of a node:\n"
        + (_nodes.FirstOrDefault(n => n.IsRunning)?.LogTail ?? "");
}
