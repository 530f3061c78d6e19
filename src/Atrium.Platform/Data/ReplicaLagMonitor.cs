using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atrium.Platform.Data;

/// <summary>
/// Probes each replica every <see cref="DatabaseOptions.ReplicaCheckInterval"/> (distributed shape only): a replica
/// that does not answer within <see cref="ProbeTimeout"/> (stopped, swamped: its pooled connections would hold reads
/// until the command timeout, which the open timeout cannot see) or replays more than
/// <see cref="DatabaseOptions.MaxReplicaLag"/> behind the primary is isolated — its circuit held open, its reads sent
/// to the primary — until a probe finds it answering and current again. This bounds how stale a read can be.
/// Lag is measured against the primary, never the replica's own view (a replica cut off from its primary has
/// replayed all it received and would call itself current forever): <see cref="WalTimeline"/> keeps the primary's
/// WAL position at each probe, and a replica's lag is the age of the oldest position it has not replayed yet (0 when
/// it has replayed the newest one: an idle primary writes nothing, so an idle replica is current).
/// </summary>
internal sealed partial class ReplicaLagMonitor(
    IDatabase database, IOptions<DatabaseOptions> options, ServiceSupervisor supervisor, ILogger<ReplicaLagMonitor> logger)
    : BackgroundService
{
    /// <summary>
    /// The probe's budget: a healthy replica answers this query in a millisecond; one that needs a second is not
    /// serving reads well either.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    // Byte offsets (pg_lsn minus 0/0) fit a bigint for the first 8 EiB of WAL. NULL on a server not in recovery.
    private const string PrimaryQuery = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint";
    private const string ReplayQuery = "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint";

    // Real time, not the injected clock: a probe cadence, and tests run on a fake clock that only moves when moved.
    private readonly WalTimeline _timeline = new(TimeProvider.System);

    public const string ServiceName = "platform.replica-lag-monitor";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresDatabase { ReplicaCount: > 0 })
        {
            return;
        }

        await supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(options.Value.ReplicaCheckInterval); // real time: a probe cadence, not business time
            while (await timer.WaitForNextTickAsync(ct))
            {
                await ProbeAsync(ct);
                run.Healthy();
            }
        }, stoppingToken);
    }

    /// <summary>One round: reads the primary's WAL position, then probes every replica against it.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (database is not PostgresDatabase { ReplicaCount: > 0 } postgres)
        {
            return;
        }

        await SamplePrimaryAsync(postgres, cancellationToken);
        foreach (var replica in postgres.Replicas)
        {
            await CheckAsync(replica, cancellationToken);
        }
    }

    /// <summary>
    /// Records where the primary's WAL is now. A primary that does not answer adds nothing: the replicas are then
    /// judged against the positions already known (one cut off before the primary went away still falls behind them;
    /// one that had everything stays, as the freshest copy there is).
    /// </summary>
    public async Task SamplePrimaryAsync(PostgresDatabase postgres, CancellationToken cancellationToken)
    {
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(ProbeTimeout);
            await using var connection = await postgres.PrimarySource.OpenConnectionAsync(budget.Token);
            await using var command = new NpgsqlCommand(PrimaryQuery, connection);
            _timeline.Record((long)(await command.ExecuteScalarAsync(budget.Token))!, options.Value.MaxReplicaLag + (2 * options.Value.ReplicaCheckInterval));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogPrimaryUnanswered(ex);
        }
    }

    /// <summary>Probes one replica against the primary positions recorded so far, and isolates or restores it.</summary>
    public async Task CheckAsync(PostgresReplica replica, CancellationToken cancellationToken)
    {
        var maxLag = options.Value.MaxReplicaLag;
        double? lag;
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(ProbeTimeout);
            await using var connection = await replica.Source.OpenConnectionAsync(budget.Token);
            await using var command = new NpgsqlCommand(ReplayQuery, connection);
            var replayed = await command.ExecuteScalarAsync(budget.Token);
            lag = replayed is long position ? _timeline.LagOf(position).TotalSeconds : 0; // not in recovery: nothing to replay
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            lag = null;
        }

        var healthy = lag is { } seconds && seconds <= maxLag.TotalSeconds;
        if (!healthy && !replica.IsolatedForLag)
        {
            replica.IsolatedForLag = true;
            await replica.Isolation.IsolateAsync(cancellationToken);
            LogIsolated(replica.Name, lag, maxLag.TotalSeconds);
        }
        else if (healthy && replica.IsolatedForLag)
        {
            replica.IsolatedForLag = false;
            await replica.Isolation.CloseAsync(cancellationToken);
            LogRestored(replica.Name, lag!.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} isolated (lag {Lag} s, limit {Limit} s; none = no answer): its reads go to the primary")]
    private partial void LogIsolated(string replica, double? lag, double limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} back in rotation (lag {Lag} s)")]
    private partial void LogRestored(string replica, double lag);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The primary did not tell its WAL position; replicas are judged against the positions known")]
    private partial void LogPrimaryUnanswered(Exception exception);
}
