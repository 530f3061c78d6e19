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
/// Lag is <c>now() − pg_last_xact_replay_timestamp()</c>, counted 0 when everything received is replayed (an idle
/// primary writes nothing, so the last replayed transaction may be old while the replica is current).
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

    private const string LagQuery = """
        SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
        """;

    public const string ServiceName = "platform.replica-lag-monitor";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresDatabase { ReplicaCount: > 0 } postgres)
        {
            return;
        }

        await supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(options.Value.ReplicaCheckInterval); // real time: a probe cadence, not business time
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var replica in postgres.Replicas)
                {
                    await CheckAsync(replica, ct);
                }

                run.Healthy();
            }
        }, stoppingToken);
    }

    /// <summary>Probes one replica and isolates or restores it.</summary>
    public async Task CheckAsync(PostgresReplica replica, CancellationToken cancellationToken)
    {
        var maxLag = options.Value.MaxReplicaLag;
        double? lag;
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(ProbeTimeout);
            await using var connection = await replica.Source.OpenConnectionAsync(budget.Token);
            await using var command = new NpgsqlCommand(LagQuery, connection);
            lag = (double)(await command.ExecuteScalarAsync(budget.Token))!;
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
}
