using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Platform.Messaging;

internal sealed class LocalDeadLetters(IDatabase database, LocalQueueWorker worker, TimeProvider time) : IDeadLetters
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, consumer, event_id AS EventId, type, payload, occurred_at AS OccurredAt, attempts,
                   last_error AS LastError, failed_at AS FailedAt
            FROM platform_dead_letters WHERE id > @after ORDER BY id LIMIT @limit
            """,
            new { after, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new DeadLetter(
            r.Id, r.Consumer, r.EventId, r.Type, r.Payload,
            DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), (int)r.Attempts, r.LastError,
            DateTimeOffset.FromUnixTimeMilliseconds(r.FailedAt))).ToList();
    }

    public async Task<bool> ReplayAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_queue (consumer, event_id, type, payload, occurred_at, next_attempt_at)
            SELECT consumer, event_id, type, payload, occurred_at, @now FROM platform_dead_letters WHERE id = @id
            ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = 0, next_attempt_at = excluded.next_attempt_at
            """,
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM platform_dead_letters WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        worker.Wake();
        return moved > 0;
    }

    private sealed record Row(
        long Id, string Consumer, long EventId, string Type, string Payload, long OccurredAt, long Attempts, string LastError, long FailedAt);
}
