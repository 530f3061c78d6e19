using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Observability;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Moves committed outbox rows to the transport in id order, then deletes them. A crash between the
/// transport's acceptance and the delete re-sends those rows on the next start: at least once, and
/// consumers' inboxes absorb the duplicate. On PostgreSQL a batch is locked (<c>FOR UPDATE SKIP LOCKED</c>)
/// until it is deleted, so the relays of several nodes take turns instead of publishing the same rows.
/// </summary>
public sealed class OutboxRelay(
    IDatabase database,
    IEventTransport transport,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    PlatformMetrics metrics,
    FailPoints failPoints,
    ServiceSupervisor supervisor) : BackgroundService
{
    /// <summary>
    /// A publisher wakes the relay from inside its transaction, before the commit, so the first look often finds
    /// nothing yet: it looks again after these short pauses before waiting a whole poll interval. Without them a
    /// pushed feed post waited ≈ 2 × PollInterval to reach timelines (measured by the Lab's fanout experiment).
    /// Real time on purpose: scheduling pauses, not business time.
    /// </summary>
    private static readonly TimeSpan[] LooksAfterWake = [TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40)];

    private readonly WorkSignal _signal = new();

    /// <summary>Asks the relay to look at the outbox now instead of at its next poll.</summary>
    public void Wake() => _signal.Notify();

    public const string ServiceName = "platform.outbox-relay";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, RelayContinuouslyAsync, stoppingToken, Backoff.UpTo(options.Value.RetryBaseDelay, options.Value.RetryMaxDelay));

    private async Task RelayContinuouslyAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        var woken = false;
        var looks = 0;
        while (true)
        {
            var moved = await RelayBatchAsync(stoppingToken);
            run.Healthy();
            if (moved == 0 && woken && looks < LooksAfterWake.Length)
            {
                await Task.Delay(LooksAfterWake[looks++], stoppingToken); // the waking transaction may not have committed yet
                continue;
            }

            looks = 0;
            woken = moved < options.Value.BatchSize && await _signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>Relays one batch; returns how many rows it moved.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);

        // PostgreSQL: the batch stays locked from its read to its delete and other nodes' relays skip it, so relays
        // share the outbox instead of each publishing every row they see (two nodes, faults scenario 5: 36 duplicate
        // deliveries for 260 events before this, 1 after, the injected one). SQLite has one node: no lock needed.
        var postgres = database.Dialect == SqlDialect.Postgres;
        await using var transaction = postgres ? await connection.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            // A relay that stalls with its batch (a paused process) must not hold it hostage: PostgreSQL ends the
            // transaction after this long idle, and another node's relay takes the rows.
            await connection.ExecuteAsync(new CommandDefinition(
                "SET LOCAL idle_in_transaction_session_timeout = 15000", transaction: transaction, cancellationToken: cancellationToken));
        }

        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            "SELECT id, type, payload, occurred_at AS OccurredAt FROM platform_outbox ORDER BY id LIMIT @limit" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""),
            new { limit = options.Value.BatchSize }, transaction, cancellationToken: cancellationToken))).AsList();

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        metrics.OutboxLag = rows.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, now - rows[0].OccurredAt));
        if (rows.Count == 0)
        {
            return 0;
        }

        var batch = rows.ConvertAll(r => new EventEnvelope(r.Id, r.Type, r.Payload, DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt)));
        await transport.SendAsync(batch, cancellationToken);
        failPoints.Hit(FailPoints.OutboxAfterConfirm); // testing aid: a crash between the transport's confirm and the delete
        // Dapper expands "IN @ids" into one parameter per id, except for Npgsql, which takes the list as one array.
        await connection.ExecuteAsync(new CommandDefinition(
            postgres ? "DELETE FROM platform_outbox WHERE id = ANY(@ids)" : "DELETE FROM platform_outbox WHERE id IN @ids",
            new { ids = rows.ConvertAll(r => r.Id) }, transaction, cancellationToken: CancellationToken.None));
        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken.None);
        }

        metrics.EventsRelayed.Add(rows.Count);
        return rows.Count;
    }

    private sealed record OutboxRow(long Id, string Type, string Payload, long OccurredAt);
}
