using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Platform.Messaging;

/// <summary>
/// The embedded shape's transport: a durable queue table in the same database, one row per event and
/// subscribed consumer, the way a broker keeps one queue per consumer. Re-sending an envelope is a no-op.
/// </summary>
internal sealed class LocalQueueTransport(
    IDatabase database,
    ConsumerCatalog catalog,
    LocalQueueWorker worker,
    TimeProvider time) : IEventTransport
{
    public async Task SendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = batch
            .SelectMany(e => catalog.For(e.Type).Select(c => new
            {
                consumer = c.Name,
                eventId = e.Id,
                type = e.Type,
                payload = e.Payload,
                occurredAt = e.OccurredAt.ToUnixTimeMilliseconds(),
                now,
            }))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_queue (consumer, event_id, type, payload, occurred_at, next_attempt_at)
            VALUES (@consumer, @eventId, @type, @payload, @occurredAt, @now)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """,
            rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        worker.Wake();
    }
}
