using System.Globalization;
using System.Text.RegularExpressions;

namespace Atrium.Testing.Servers;

/// <summary>
/// A throwaway PostgreSQL from the Debian package (<c>postgresql</c>): initdb into a temp directory, trust
/// authentication, listening on 127.0.0.1 on a free port, its unix socket inside its own directory. A primary
/// can start streaming replicas of itself (<see cref="StartReplicaAsync"/>). About one second to start.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root, so as root they run as the <c>postgres</c> user through runuser,
/// on a directory that user owns. The server settings are PostgreSQL's defaults except: <c>listen_addresses</c>,
/// <c>max_connections</c> (raised: every test database gets its own Npgsql pool), and initdb and pg_basebackup
/// run with <c>--no-sync</c> (they skip flushing the fresh files to disk; the running server keeps
/// <c>fsync=on</c>, so a killed server keeps what it committed).
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string User = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly PostgresServer? _primary;
    private readonly List<PostgresServer> _replicas = [];
    private ServerProcess? _process;
    private bool _disposed;

    private PostgresServer(string root, PostgresServer? primary)
    {
        _root = root;
        _primary = primary;
        Port = LoopbackPort.Next();
    }

    public int Port { get; }

    /// <summary>The <c>postgres</c> database as the superuser <c>postgres</c>, in Npgsql's format.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public bool IsReplica => _primary is not null;

    public bool IsRunning => _process is { HasExited: false };

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The last lines the server logged (it logs to stderr, which is captured).</summary>
    public string LogTail => _process?.Tail() ?? "";

    /// <summary>initdb, then starts a primary. Dispose it to stop it and delete its files.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var initdb = ServerBinaries.Postgres("initdb");
        var server = new PostgresServer(await Command.OwnedDirectoryAsync("atrium-postgres", User, cancellationToken), primary: null);
        try
        {
            await Command.RunCheckedAsync(
                Command.For(initdb, ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], User),
                ToolTimeout,
                cancellationToken);

            // initdb's pg_hba.conf with --auth=trust already lets 127.0.0.1 in, for replication too. These settings
            // are copied to replicas by pg_basebackup; the port and socket directory are per server (command line).
            await File.AppendAllTextAsync(
                Path.Combine(server.DataDirectory, "postgresql.conf"),
                "\n# Atrium.Testing\nlisten_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 10\nmax_connections = 500\n",
                cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=10;Include Error Detail=true";

    /// <summary>
    /// Creates a database (a fresh name when none is given) so that a test has its own, and returns its
    /// connection string. Replicas receive it through replication.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= $"test_{Guid.NewGuid():N}";
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException("Use lower-case letters, digits and underscores (at most 63), starting with a letter or underscore.", nameof(name));
        }

        await QueryAsync($"CREATE DATABASE \"{name}\"", cancellationToken: cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Runs SQL through psql (no client library needed) and returns its unaligned, tuples-only output: one row a
    /// line, columns separated by '|'. An SQL error throws with psql's message.
    /// </summary>
    public async Task<string> QueryAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        var result = await Command.RunCheckedAsync(Psql(sql, database), ToolTimeout, cancellationToken);
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// A hot-standby streaming replica of this primary on its own port and directory, made with
    /// <c>pg_basebackup -R -X stream</c>. Disposing the primary disposes its replicas.
    /// </summary>
    public async Task<PostgresServer> StartReplicaAsync(CancellationToken cancellationToken = default)
    {
        if (IsReplica)
        {
            throw new InvalidOperationException("Start replicas from the primary.");
        }

        var replica = new PostgresServer(await Command.OwnedDirectoryAsync("atrium-postgres-replica", User, cancellationToken), this);
        try
        {
            // -R: standby.signal + primary_conninfo; -X stream: the WAL written during the copy comes along;
            // -c fast: checkpoint now instead of spreading it over minutes.
            await Command.RunCheckedAsync(
                Command.For(
                    ServerBinaries.Postgres("pg_basebackup"),
                    ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", replica.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync"],
                    User),
                ToolTimeout,
                cancellationToken);
            await replica.StartAsync(cancellationToken);
            lock (_replicas)
            {
                _replicas.Add(replica);
            }

            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>On a replica: holds WAL replay (rows written on the primary stay invisible here) until resumed.</summary>
    public async Task PauseReplayAsync(CancellationToken cancellationToken = default)
    {
        EnsureReplica();
        await QueryAsync("SELECT pg_wal_replay_pause()", cancellationToken: cancellationToken);

        // The pause is only requested by that call; replay stops at the next record boundary.
        await Poll.UntilAsync(
            async token => await QueryAsync("SELECT pg_get_wal_replay_pause_state()", cancellationToken: token) == "paused",
            TimeSpan.FromSeconds(30),
            () => "replay did not pause.",
            cancellationToken);
    }

    /// <summary>On a replica: resumes WAL replay.</summary>
    public async Task ResumeReplayAsync(CancellationToken cancellationToken = default)
    {
        EnsureReplica();
        await QueryAsync("SELECT pg_wal_replay_resume()", cancellationToken: cancellationToken);
    }

    /// <summary>On a replica: waits until it has replayed everything the primary had written when called.</summary>
    public async Task WaitForReplayAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var primary = EnsureReplica();
        var lsn = await primary.QueryAsync("SELECT pg_current_wal_lsn()", cancellationToken: cancellationToken);
        await Poll.UntilAsync(
            async token => await QueryAsync($"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", cancellationToken: token) == "t",
            timeout ?? TimeSpan.FromSeconds(30),
            () => $"the replica on port {Port} did not replay up to {lsn} (is replay paused?).",
            cancellationToken,
            TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Starts the server on its existing data directory and port: after <see cref="KillAsync"/> or <see cref="StopAsync"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"PostgreSQL on port {Port} is already running.");
        }

        await WaitForPreviousPostmasterAsync();
        var process = ServerProcess.Start(Command.For(
            ServerBinaries.Postgres("postgres"),
            ["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _root],
            User));
        _process = process;
        await Poll.UntilAsync(
            async token =>
            {
                process.ThrowIfExited($"PostgreSQL on port {Port}");
                return await IsReadyAsync(process, token);
            },
            StartTimeout,
            () => $"PostgreSQL on port {Port} did not accept connections. Its log:\n{process.Tail()}",
            cancellationToken);
    }

    /// <summary>A clean shutdown (<c>pg_ctl stop -m fast</c>): an outage of the server, its data kept.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { } process)
        {
            await Command.RunCheckedAsync(PgCtlStop("fast"), ToolTimeout, cancellationToken);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await process.KillAsync();
            _process = null;
        }
    }

    /// <summary>SIGKILL to the postmaster and its processes: a crash. Committed data survives; start it again with <see cref="StartAsync"/>.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_process is { } process)
        {
            await process.KillAsync();
            _process = null;
        }
    }

    /// <summary>Stops the replicas, then this server (<c>pg_ctl stop -m immediate</c>), and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        PostgresServer[] replicas;
        lock (_replicas)
        {
            replicas = [.. _replicas];
        }

        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        if (_process is { } process)
        {
            try
            {
                await Command.RunAsync(PgCtlStop("immediate"), TimeSpan.FromSeconds(30), CancellationToken.None);
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                await process.KillAsync();
                _process = null;
            }
        }

        Command.TryDeleteDirectory(_root);
    }

    /// <summary>The pids of the server's processes now (for tests of the fixtures' own cleanup).</summary>
    internal IReadOnlyList<int> ProcessIds() => _process?.ProcessIds() ?? [];

    private PostgresServer EnsureReplica() =>
        _primary ?? throw new InvalidOperationException($"PostgreSQL on port {Port} is a primary, not a replica.");

    private System.Diagnostics.ProcessStartInfo Psql(string sql, string database) => Command.For(
        ServerBinaries.Postgres("psql"),
        ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-c", sql],
        environment: new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10" });

    /// <summary>
    /// Ready as pg_ctl -w judges it: postmaster.pid names our postmaster (not a stale one from before a kill) and
    /// says "ready" (accepting connections; on a replica, read-only ones). A probe of the port instead could be
    /// answered by some other server that got the same port.
    /// </summary>
    private async Task<bool> IsReadyAsync(ServerProcess process, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken);
        }
        catch (IOException)
        {
            return false;
        }

        return lines.Length >= 8
            && int.TryParse(lines[0], out var pid)
            && process.ProcessIds().Contains(pid)
            && lines[7].Trim() == "ready";
    }

    private System.Diagnostics.ProcessStartInfo PgCtlStop(string mode) => Command.For(
        ServerBinaries.Postgres("pg_ctl"),
        ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", "30"],
        User);

    /// <summary>
    /// postgres refuses a data directory whose postmaster.pid names a live process, and a zombie counts as live.
    /// Our postmaster is reaped by its runuser at once, but wait for the pid to be gone all the same.
    /// </summary>
    private async Task WaitForPreviousPostmasterAsync()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile)
            && int.TryParse((await File.ReadAllLinesAsync(pidFile)).FirstOrDefault(), out var pid)
            && pid != Environment.ProcessId)
        {
            await ProcessTree.WaitUntilDeadAsync([pid], TimeSpan.FromSeconds(10), ProcessTree.Exists);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
