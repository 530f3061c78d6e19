using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Platform.Messaging;

internal sealed class LocalDeadLetters(IDatabase database, LocalQueueWorker worker, TimeProvider time) : IDeadLetters
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(long after, int limit, CancellationToken cancellationToken) =>
        DeadLetterTable.ListAsync(database, after, limit, cancellationToken);

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
}
