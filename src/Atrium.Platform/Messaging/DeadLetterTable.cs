using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Platform.Messaging;

/// <summary>Reads and writes of <c>platform_dead_letters</c>, the one dead-letter store of both shapes.</summary>
internal static class DeadLetterTable
{
    private const string Columns =
        """
        id, consumer, event_id AS EventId, type, payload, occurred_at AS OccurredAt, attempts,
        last_error AS LastError, failed_at AS FailedAt
        """;

    public static async Task<IReadOnlyList<DeadLetter>> ListAsync(IDatabase database, long after, int limit, CancellationToken cancellationToken)
    {
        // From the primary: an operator who just replayed a letter must not see it listed again from a lagging replica.
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM platform_dead_letters WHERE id > @after ORDER BY id LIMIT @limit",
            new { after, limit }, cancellationToken: cancellationToken));
        return rows.Select(ToDeadLetter).ToList();
    }

    public static async Task<DeadLetter?> FindAsync(System.Data.Common.DbConnection connection, long id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM platform_dead_letters WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToDeadLetter(row);
    }

    /// <summary>
    /// Stores a dead letter unless this consumer already has one for this event (RabbitMQ dead-letters at least
    /// once, the consumer host and the dead-letter mover may both store the same failure, and a redelivered event
    /// may fail again). The unique index on (consumer, event_id) decides, also between concurrent inserts.
    /// True when stored.
    /// </summary>
    public static async Task<bool> InsertOnceAsync(
        System.Data.Common.DbConnection connection, NewDeadLetter letter, CancellationToken cancellationToken,
        System.Data.Common.DbTransaction? transaction = null) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_dead_letters (consumer, event_id, type, payload, occurred_at, attempts, last_error, failed_at)
            VALUES (@Consumer, @EventId, @Type, @Payload, @OccurredAt, @Attempts, @Error, @FailedAt)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """,
            letter, transaction, cancellationToken: cancellationToken)) == 1;

    private static DeadLetter ToDeadLetter(Row r) => new(
        r.Id, r.Consumer, r.EventId, r.Type, r.Payload,
        DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), (int)r.Attempts, r.LastError,
        DateTimeOffset.FromUnixTimeMilliseconds(r.FailedAt));

    private sealed record Row(
        long Id, string Consumer, long EventId, string Type, string Payload, long OccurredAt, long Attempts, string LastError, long FailedAt);
}
