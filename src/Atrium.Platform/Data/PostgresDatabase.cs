using System.Data.Common;
using Atrium.Platform.Resilience;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Timeout;

namespace Atrium.Platform.Data;

/// <summary>
/// The distributed shape's database: a PostgreSQL primary and any number of streaming replicas, one pooled
/// <see cref="NpgsqlDataSource"/> each (pool sizes: <see cref="DatabaseOptions"/>). Reads go to the replicas
/// in turn (round robin). Each replica has its own Polly pipeline (<see cref="ReplicaResilience"/>): a timeout on
/// opening a connection and a circuit breaker; while a replica's circuit is open (it failed to open connections) or
/// isolated (<see cref="ReplicaLagMonitor"/>: it does not answer its probe, or it is more than
/// <see cref="DatabaseOptions.MaxReplicaLag"/> behind), its reads go to the next replica, else to the primary. A
/// signed-in user who recently wrote reads from the primary (read-your-writes, <see cref="IWritePins"/>).
/// </summary>
internal sealed partial class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _primary;
    private readonly bool _primaryIsMultiHost;
    private readonly PostgresReplica[] _replicas;
    private readonly IWritePins _pins;
    private readonly IHttpContextAccessor _http;
    private readonly DatabaseOptions _options;
    private readonly ILogger<PostgresDatabase> _logger;
    private uint _next;

    public PostgresDatabase(
        string primary,
        IReadOnlyList<string> replicas,
        IOptions<DatabaseOptions> options,
        IWritePins pins,
        IHttpContextAccessor http,
        TimeProvider time,
        ILogger<PostgresDatabase> logger,
        ResilienceMetrics? metrics = null)
    {
        _options = options.Value;
        PrimaryConnectionString = PostgresConnectionStrings.Complete(primary, _options.PrimaryMaxPoolSize);
        _primary = NpgsqlDataSource.Create(PrimaryConnectionString);
        _primaryIsMultiHost = PostgresConnectionStrings.IsMultiHost(PrimaryConnectionString);
        _replicas = [.. replicas.Select((r, i) => new PostgresReplica(
            NpgsqlDataSource.Create(PostgresConnectionStrings.Complete(r, _options.ReplicaMaxPoolSize)), i, _options.ReplicaRetryAfter, time, logger, metrics))];
        _pins = pins;
        _http = http;
        _logger = logger;
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>The primary's connection string (with the pool size applied): migrations run there, never on a replica.</summary>
    public string PrimaryConnectionString { get; }

    public int ReplicaCount => _replicas.Length;

    /// <summary>The replicas, for <see cref="ReplicaLagMonitor"/>.</summary>
    internal IReadOnlyList<PostgresReplica> Replicas => _replicas;

    /// <summary>The primary's pool, for <see cref="ReplicaLagMonitor"/> (it reads the primary's WAL position; pins nobody).</summary>
    internal NpgsqlDataSource PrimarySource => _primary;

    /// <summary>
    /// A primary connection. Opened on behalf of a signed-in request (or a chat socket, which signs its user in on
    /// its upgrade request), it pins that user's reads to the primary (<see cref="DatabaseOptions.PinDuration"/>):
    /// every primary connection counts as a write (a request opens one to write, or to read what it must not see
    /// stale, which is as good a reason). The pin starts once the connection is open, before the write commits, so
    /// a write is read back by its author as long as it commits within <see cref="DatabaseOptions.ReadYourWritesWindow"/>;
    /// a primary that cannot be reached pins nobody (there was no write to see).
    /// </summary>
    public async Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenPrimarySourceAsync(cancellationToken);
        try
        {
            if (CurrentUserId() is { } userId)
            {
                await _pins.PinAsync(userId, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// A replica connection, unless there is none, none is up, or the current user is pinned to the primary. A
    /// pinned read whose primary cannot be reached falls back to a replica: a possibly stale answer beats none.
    /// </summary>
    public async Task<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        if (_replicas.Length == 0)
        {
            return await _primary.OpenConnectionAsync(cancellationToken);
        }

        if (CurrentUserId() is { } userId && await _pins.IsPinnedAsync(userId, cancellationToken))
        {
            try
            {
                return await OpenPrimarySourceAsync(cancellationToken);
            }
            catch (DbException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                LogPinnedReadFallsBack(ex);
            }
        }

        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < _replicas.Length; i++)
        {
            var replica = _replicas[(int)((start + (uint)i) % (uint)_replicas.Length)];
            try
            {
                return await replica.Pipeline.ExecuteAsync(
                    static async (source, ct) => (DbConnection)await source.OpenConnectionAsync(ct), replica.Source, cancellationToken);
            }
            catch (ExecutionRejectedException ex) when (ex is not TimeoutRejectedException)
            {
                // open or isolated: skip it without a log line per read (the transition was logged)
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                LogReplicaDown(ex, replica.Name);
            }
        }

        return await OpenPrimarySourceAsync(cancellationToken);
    }

    /// <summary>
    /// Waits until every replica has replayed the primary's WAL as it stands now (e.g. the schema just migrated),
    /// for at most <paramref name="timeout"/>; returns how many replicas did not get there (down, paused or slow).
    /// </summary>
    public async Task<int> WaitForReplicasAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_replicas.Length == 0)
        {
            return 0;
        }

        string lsn;
        await using (var primary = await _primary.OpenConnectionAsync(cancellationToken))
        await using (var current = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary))
        {
            lsn = (string)(await current.ExecuteScalarAsync(cancellationToken))!;
        }

        // Real time, not the injected clock: tests run on a fake clock that only moves when they move it.
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var lagging = 0;
        foreach (var replica in _replicas)
        {
            while (true)
            {
                try
                {
                    await using var connection = await replica.Source.OpenConnectionAsync(cancellationToken);
                    await using var replayed = new NpgsqlCommand("SELECT COALESCE(pg_last_wal_replay_lsn() >= @lsn::pg_lsn, true)", connection);
                    replayed.Parameters.AddWithValue("lsn", lsn);
                    if ((bool)(await replayed.ExecuteScalarAsync(cancellationToken))!)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    lagging++;
                    break;
                }

                if (TimeProvider.System.GetUtcNow() >= deadline)
                {
                    lagging++;
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }

        return lagging;
    }

    /// <summary>
    /// Closes the pooled idle connections but leaves the data sources usable: a hosted service may still run a
    /// last statement while the container is disposed (app.Run() disposes the host as soon as a stop begins,
    /// while the stop that began it, e.g. WebApplicationFactory's, is still running StoppedAsync), and a
    /// connection opened after this is simply closed by Npgsql's idle pruning.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        _primary.Clear();
        foreach (var replica in _replicas)
        {
            replica.Source.Clear();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A connection from the primary's pool. A multi-host primary string that finds no read-write host (a failover before
    /// the promotion) fails with Npgsql's non-transient "No suitable host" (no inner exception, or the hosts' failures
    /// aggregated): that is the primary being unavailable, so it becomes a transient <see cref="PrimaryUnavailableException"/>.
    /// </summary>
    private async Task<NpgsqlConnection> OpenPrimarySourceAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _primary.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (_primaryIsMultiHost && ex is not PostgresException && !ex.IsTransient
            && ex.InnerException is null or AggregateException)
        {
            throw new PrimaryUnavailableException(
                $"No host of {PostgresConnectionStrings.Describe(PrimaryConnectionString)} takes writes right now: {ex.Message}", ex);
        }
    }

    private long? CurrentUserId() => _http.HttpContext?.User is { } user ? user.UserId() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The primary is unreachable; a pinned read goes to a replica and may be stale")]
    private partial void LogPinnedReadFallsBack(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} did not open a connection; this read goes elsewhere")]
    private partial void LogReplicaDown(Exception exception, string replica);
}
