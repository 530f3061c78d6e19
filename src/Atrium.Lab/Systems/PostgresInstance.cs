using System.Globalization;
using Npgsql;

namespace Atrium.Lab.Systems;

/// <summary>
/// A throwaway PostgreSQL from the Debian package for one experiment (as <c>tests/Atrium.Testing</c> starts them):
/// initdb into a temp directory, trust authentication, 127.0.0.1 on a free port, <c>pg_stat_statements</c> loaded
/// (the experiments count queries where they run). A primary can start a streaming replica of itself, optionally
/// replaying WAL a fixed delay behind (<c>recovery_min_apply_delay</c>): replication lag on demand.
/// </summary>
internal sealed class PostgresInstance : IAsyncDisposable
{
    private const string User = "postgres";
    private static readonly Lazy<string> Bin = new(FindBin);
    private readonly string _root;
    private readonly List<PostgresInstance> _replicas = [];
    private ChildProcess? _process;

    private PostgresInstance(string root, bool replica)
    {
        _root = root;
        IsReplica = replica;
        Port = LoopbackPorts.Next();
    }

    public int Port { get; }

    public bool IsReplica { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    public static async Task<PostgresInstance> StartPrimaryAsync(CancellationToken cancellationToken)
    {
        var server = new PostgresInstance(await OwnedDirectoryAsync("atrium-lab-pg", cancellationToken), replica: false);
        try
        {
            await ChildProcess.RunAsync(ChildProcess.For(Tool("initdb"),
                ["-D", server.DataDirectory, "-U", User, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], User), cancellationToken);
            await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.conf"),
                "\n# Atrium.Lab\nlisten_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 10\nmax_connections = 300\n" +
                "shared_preload_libraries = 'pg_stat_statements'\nfsync = off\n",
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
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=10";

    /// <summary>A fresh database with <c>pg_stat_statements</c> in it; replicas receive both through replication.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"lab_{Guid.NewGuid():N}";
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{name}\"", cancellationToken);
        await ExecuteAsync(name, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken);
        return name;
    }

    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many times statements containing <paramref name="fragment"/> ran on this server (pg_stat_statements).</summary>
    public Task<long> CallsAsync(string database, string fragment, CancellationToken cancellationToken) =>
        ScalarAsync<long>(database,
            $"SELECT CAST(COALESCE(SUM(calls), 0) AS BIGINT) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid " +
            $"WHERE d.datname = current_database() AND s.query LIKE '%{fragment.Replace("'", "''", StringComparison.Ordinal)}%'",
            cancellationToken);

    /// <summary>A hot-standby streaming replica (<c>pg_basebackup -R</c>) that applies each commit <paramref name="applyDelay"/> late.</summary>
    public async Task<PostgresInstance> StartReplicaAsync(TimeSpan applyDelay, CancellationToken cancellationToken)
    {
        var replica = new PostgresInstance(await OwnedDirectoryAsync("atrium-lab-pg-replica", cancellationToken), replica: true);
        try
        {
            await ChildProcess.RunAsync(ChildProcess.For(Tool("pg_basebackup"),
                ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-D", replica.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync"],
                User), cancellationToken);
            await File.AppendAllTextAsync(Path.Combine(replica.DataDirectory, "postgresql.conf"),
                string.Create(CultureInfo.InvariantCulture, $"\nrecovery_min_apply_delay = '{(long)applyDelay.TotalMilliseconds}ms'\n"), cancellationToken);
            await replica.StartAsync(cancellationToken);
            _replicas.Add(replica);
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>On a replica: waits until <paramref name="database"/> exists here (it is created on the primary).</summary>
    public Task WaitForDatabaseAsync(string database, CancellationToken cancellationToken) =>
        Wait.UntilAsync(
            async ct => await ScalarAsync<long>("postgres", $"SELECT COUNT(*) FROM pg_database WHERE datname = '{database}'", ct) == 1,
            TimeSpan.FromSeconds(60), () => $"database {database} did not reach the replica on port {Port}.", cancellationToken);

    /// <summary>On the primary: waits until <paramref name="replica"/> has replayed everything written here so far.</summary>
    public async Task WaitUntilReplayedAsync(PostgresInstance replica, CancellationToken cancellationToken)
    {
        var lsn = await ScalarAsync<string>("postgres", "SELECT pg_current_wal_lsn()::text", cancellationToken);
        await Wait.UntilAsync(
            async ct => await replica.ScalarAsync<bool>("postgres", $"SELECT COALESCE(pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn, false)", ct),
            TimeSpan.FromSeconds(60), () => $"the replica on port {replica.Port} did not replay up to {lsn}.", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        _replicas.Clear();
        if (_process is { } process)
        {
            try
            {
                await ChildProcess.RunAsync(ChildProcess.For(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "20"], User), CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Killed below in any case.
            }

            await process.StopAsync();
            _process = null;
        }

        TryDelete(_root);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var process = ChildProcess.Start(ChildProcess.For(Tool("postgres"),
            ["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _root], User));
        _process = process;
        await Wait.UntilAsync(
            async ct =>
            {
                process.ThrowIfExited($"PostgreSQL on port {Port}");
                return await IsReadyAsync(ct);
            },
            TimeSpan.FromSeconds(60), () => $"PostgreSQL on port {Port} did not start:\n{process.Tail()}", cancellationToken);
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken);
            return lines.Length >= 8 && lines[7].Trim() == "ready";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string> OwnedDirectoryAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        if (Environment.IsPrivilegedProcess)
        {
            await ChildProcess.RunAsync(ChildProcess.For("chown", ["-R", $"{User}:", path]), cancellationToken);
        }

        return path;
    }

    private static void TryDelete(string path)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string Tool(string name) => Path.Combine(Bin.Value, name);

    /// <summary>Debian keeps the server tools in /usr/lib/postgresql/VERSION/bin (highest wins); elsewhere initdb on PATH.</summary>
    private static string FindBin()
    {
        const string Root = "/usr/lib/postgresql";
        var versioned = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(dir => int.TryParse(Path.GetFileName(dir), out _) && File.Exists(Path.Combine(dir, "bin", "initdb")))
                .OrderByDescending(dir => int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture))
                .Select(dir => Path.Combine(dir, "bin"))
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(dir => File.Exists(Path.Combine(dir, "initdb")));
        return versioned.Concat(onPath).FirstOrDefault()
            ?? throw new FileNotFoundException("PostgreSQL's initdb was not found: install the Debian package 'postgresql' (scripts/install-deps.sh).");
    }
}
