using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Atrium.Testing.Servers;

/// <summary>
/// HA PostgreSQL from the Debian packages (<c>patroni</c>, <c>etcd-server</c>): one etcd member and two Patroni-managed
/// PostgreSQL nodes, a primary and a streaming standby, on free 127.0.0.1 ports in one temp directory, every process a
/// child of the test run and stopped by pid. Patroni holds the leader key in etcd and promotes the standby when the
/// primary's postgres dies; the old primary comes back as a standby of the new one (pg_rewind). Atrium reaches it
/// through a multi-host connection string (<see cref="ConnectionStringFor"/>) that finds the primary by itself.
/// About 10-30 s to start (both nodes: initdb, base backup, Patroni's loops) on 2 busy cores: once per test class.
/// </summary>
/// <remarks>
/// Timeouts are short for loopback tests (scripts/lib/pg-ha.sh uses the same): leader key TTL 10 s, Patroni's loop 1 s,
/// retry_timeout 4 s, and <c>primary_start_timeout = 0</c> so a crashed primary is failed over at once instead of
/// restarted in place. <c>synchronous_mode_strict</c> is off: a synchronous primary whose standby is gone keeps taking
/// writes alone (availability first; the standby is synchronous again once it is back).
/// </remarks>
public sealed class PatroniCluster : IAsyncDisposable
{
    private const string User = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Rest = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly string _root;
    private readonly PosixSignalRegistration[] _signals;
    private readonly int _etcdPort = LoopbackPort.Next();
    private readonly int _etcdPeerPort = LoopbackPort.Next();
    private ServerProcess? _etcd;
    private bool _disposed;

    private PatroniCluster(string root, ReplicationMode mode)
    {
        _root = root;
        Mode = mode;
        Nodes = [new PatroniNode("pg1", Path.Combine(root, "pg1")), new PatroniNode("pg2", Path.Combine(root, "pg2"))];

        // ServerProcess kills Patroni on SIGTERM/SIGHUP of the test run; its detached postgres needs its own handler.
        _signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillPostmasters()),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillPostmasters()),
        ];
    }

    public ReplicationMode Mode { get; }

    public IReadOnlyList<PatroniNode> Nodes { get; }

    /// <summary>
    /// Starts etcd and both nodes, and returns once one node is the primary, the other streams from it and, when
    /// synchronous, is its synchronous standby. Dispose it to stop everything and delete its files.
    /// </summary>
    public static async Task<PatroniCluster> StartNewAsync(ReplicationMode mode, CancellationToken cancellationToken = default)
    {
        var patroni = ServerBinaries.Find("patroni", "patroni", "/usr/bin/patroni");
        var etcd = ServerBinaries.Find("etcd", "etcd-server", "/usr/bin/etcd");
        var cluster = new PatroniCluster(await Command.OwnedDirectoryAsync("atrium-patroni", User, cancellationToken), mode);
        try
        {
            await cluster.StartAsync(etcd, patroni, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Both nodes, for the primary: Npgsql tries them in turn and keeps the read-write one, so a failover needs no
    /// change here. <c>Host Recheck Seconds=1</c>: how long Npgsql trusts what it learnt of a host's role.
    /// </summary>
    public string ConnectionStringFor(string database) => MultiHost(database, "read-write");

    /// <summary>Both nodes, for reads: a standby when there is one, else the primary.</summary>
    public string ReplicasConnectionStringFor(string database) => MultiHost(database, "prefer-standby");

    /// <summary>The node that is the primary now (Patroni's leader, running), or null during a failover.</summary>
    public async Task<PatroniNode?> FindPrimaryAsync(CancellationToken cancellationToken = default)
    {
        foreach (var node in Nodes)
        {
            if (await RoleAsync(node, cancellationToken) == "primary")
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Each node's role as Patroni reports it: primary, standby, starting or down.</summary>
    public async Task<IReadOnlyDictionary<PatroniNode, string>> RolesAsync(CancellationToken cancellationToken = default)
    {
        var roles = new Dictionary<PatroniNode, string>();
        foreach (var node in Nodes)
        {
            roles[node] = await RoleAsync(node, cancellationToken);
        }

        return roles;
    }

    /// <summary>Waits for the primary (after a start or a failover) and returns it.</summary>
    public async Task<PatroniNode> WaitForPrimaryAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        PatroniNode? primary = null;
        await Poll.UntilAsync(
            async token => (primary = await FindPrimaryAsync(token)) is not null && await AcceptsWritesAsync(primary, token),
            timeout,
            Describe,
            cancellationToken,
            TimeSpan.FromMilliseconds(100));
        return primary!;
    }

    /// <summary>Waits until a node other than <paramref name="old"/> is the primary and takes writes; returns it.</summary>
    public async Task<PatroniNode> WaitForNewPrimaryAsync(PatroniNode old, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        PatroniNode? primary = null;
        await Poll.UntilAsync(
            async token => (primary = await FindPrimaryAsync(token)) is not null && primary != old && await AcceptsWritesAsync(primary, token),
            timeout,
            () => $"no node but {old} became the primary. {Describe()}",
            cancellationToken,
            TimeSpan.FromMilliseconds(100));
        return primary!;
    }

    /// <summary>Waits until every node runs again, one primary and the others streaming standbys (the old primary rejoined).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await Poll.UntilAsync(
            async token =>
            {
                var roles = (await RolesAsync(token)).Values.ToList();
                return roles.Count(r => r == "primary") == 1 && roles.Count(r => r == "standby") == Nodes.Count - 1
                    && (Mode == ReplicationMode.Asynchronous || await HasSynchronousStandbyAsync(token));
            },
            timeout,
            Describe,
            cancellationToken,
            TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// kill -9 of the primary's postmaster (its backends exit with it): a crash of the primary's database server. Its
    /// Patroni stays up and brings the node back as a standby once the other node has taken over. Returns the node killed.
    /// </summary>
    public async Task<PatroniNode> KillPrimaryAsync(CancellationToken cancellationToken = default)
    {
        var primary = await WaitForPrimaryAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var pid = primary.PostmasterId() ?? throw new InvalidOperationException($"{primary} is the primary but no postmaster runs there.");
        ProcessTree.Kill(pid);
        await ProcessTree.WaitUntilDeadAsync([pid], TimeSpan.FromSeconds(10));
        return primary;
    }

    /// <summary>Creates a database on the primary (it replicates to the standby) and returns its multi-host connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var primary = await WaitForPrimaryAsync(TimeSpan.FromSeconds(60), cancellationToken);
        await primary.QueryAsync($"CREATE DATABASE \"{name}\"", cancellationToken: cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Kills every Patroni (with its postgres) and etcd, and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var node in Nodes)
        {
            if (node.Process is { } process)
            {
                await process.KillAsync();
                node.Process = null;
            }

            // Patroni starts postgres detached (re-parented to pid 1): it is not in Patroni's process tree.
            if (node.PostmasterId() is { } pid)
            {
                ProcessTree.Kill(pid);
                await ProcessTree.WaitUntilDeadAsync([pid], TimeSpan.FromSeconds(10));
            }
        }

        if (_etcd is { } etcd)
        {
            await etcd.KillAsync();
            _etcd = null;
        }

        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        Command.TryDeleteDirectory(_root);
    }

    private void KillPostmasters()
    {
        foreach (var node in Nodes)
        {
            if (node.PostmasterId() is { } pid)
            {
                ProcessTree.Kill(pid);
            }
        }
    }

    private async Task StartAsync(string etcd, string patroni, CancellationToken cancellationToken)
    {
        foreach (var node in Nodes)
        {
            Directory.CreateDirectory(node.Directory);
            await File.WriteAllTextAsync(node.ConfigFile, PatroniConfig.For(node, _etcdPort, Mode, ServerBinaries.Postgres("")), cancellationToken);
        }

        await Command.ChownAsync(_root, User, cancellationToken);

        var etcdProcess = ServerProcess.Start(Command.For(
            etcd,
            [
                "--name", "atrium", "--data-dir", Path.Combine(_root, "etcd"), "--log-level", "warn",
                "--listen-client-urls", EtcdUrl(_etcdPort), "--advertise-client-urls", EtcdUrl(_etcdPort),
                "--listen-peer-urls", EtcdUrl(_etcdPeerPort), "--initial-advertise-peer-urls", EtcdUrl(_etcdPeerPort),
                "--initial-cluster", $"atrium={EtcdUrl(_etcdPeerPort)}",
            ],
            User));
        _etcd = etcdProcess;
        await Poll.UntilAsync(
            async token =>
            {
                etcdProcess.ThrowIfExited("etcd");
                return await GetAsync($"{EtcdUrl(_etcdPort)}/health", token) is { } body && body.Contains("\"true\"", StringComparison.Ordinal);
            },
            StartTimeout,
            () => $"etcd on port {_etcdPort} is not healthy. Its log:\n{etcdProcess.Tail()}",
            cancellationToken);

        // Both at once: one wins the initialize key in etcd and bootstraps (initdb), the other waits and clones it.
        foreach (var node in Nodes)
        {
            node.Process = ServerProcess.Start(Command.For("/bin/sh", ["-c", $"exec {patroni} {node.ConfigFile} >> {node.OutputFile} 2>&1"], User));
        }

        await Poll.UntilAsync(
            async token =>
            {
                foreach (var node in Nodes)
                {
                    node.Process!.ThrowIfExited($"Patroni {node}");
                }

                var roles = (await RolesAsync(token)).Values.ToList();
                return roles.Count(r => r == "primary") == 1 && roles.Count(r => r == "standby") == Nodes.Count - 1
                    && (Mode == ReplicationMode.Asynchronous || await HasSynchronousStandbyAsync(token));
            },
            StartTimeout,
            Describe,
            cancellationToken,
            TimeSpan.FromMilliseconds(200));
    }

    private async Task<bool> HasSynchronousStandbyAsync(CancellationToken cancellationToken) =>
        await GetAsync($"http://127.0.0.1:{Nodes[0].RestPort.ToString(CultureInfo.InvariantCulture)}/cluster", cancellationToken) is { } body
        && body.Contains("\"sync_standby\"", StringComparison.Ordinal);

    private static async Task<bool> AcceptsWritesAsync(PatroniNode node, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(node.Psql("SELECT pg_is_in_recovery()", "postgres"), TimeSpan.FromSeconds(10), cancellationToken);
        return result.ExitCode == 0 && result.StandardOutput.Trim() == "f";
    }

    private static async Task<string> RoleAsync(PatroniNode node, CancellationToken cancellationToken)
    {
        var body = await GetAsync($"http://127.0.0.1:{node.RestPort.ToString(CultureInfo.InvariantCulture)}/patroni", cancellationToken);
        if (body is null)
        {
            return "down";
        }

        using var json = JsonDocument.Parse(body);
        var role = json.RootElement.TryGetProperty("role", out var r) ? r.GetString() : null;
        var state = json.RootElement.TryGetProperty("state", out var s) ? s.GetString() : null;
        return (role, state) switch
        {
            ("master" or "primary", "running") => "primary",
            ("replica", "running") => "standby",
            (_, "stopped" or "crashed") => "down",
            _ => "starting",
        };
    }

    private static async Task<string?> GetAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            // Patroni answers 503 from /patroni on a node that is not running, with the same JSON: read it either way.
            using var response = await Rest.GetAsync(new Uri(url), cancellationToken);
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private string Describe() =>
        string.Join("\n", Nodes.Select(n => $"--- {n}:\n{n.LogTail}")) + $"\n--- etcd:\n{_etcd?.Tail()}";

    private string MultiHost(string database, string target) =>
        $"Host={string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}"))};Username=postgres;Database={database};"
        + $"Target Session Attributes={target};Host Recheck Seconds=1;Timeout=5;Include Error Detail=true";

    private static string EtcdUrl(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}
