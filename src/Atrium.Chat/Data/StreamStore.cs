using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>Reads of users' event streams (<c>chat_user_events</c>, <c>chat_user_heads</c>) and last-seen times.</summary>
internal sealed class StreamStore(IDatabase database, ChatWriteGate gate)
{
    /// <summary>The head of the user's stream and the highest position retention deleted (a cursor below it is too old).</summary>
    public async Task<(long Head, long Pruned)> BoundsAsync(long userId, bool primary, CancellationToken ct)
    {
        await using var connection = primary ? await database.OpenPrimaryAsync(ct) : await database.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<(long, long)>(new CommandDefinition(
            "SELECT last_pos, pruned_pos FROM chat_user_heads WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events of the user's stream after <paramref name="since"/>, in order, message
    /// events joined with their message. From the primary for live sockets (<paramref name="primary"/>); a replica
    /// returns a prefix of the same (positions of one user commit in order), which suits HTTP sync.
    /// </summary>
    public async Task<IReadOnlyList<EventRow>> ReadAsync(long userId, long since, int limit, bool primary, CancellationToken ct)
    {
        await using var connection = primary ? await database.OpenPrimaryAsync(ct) : await database.OpenReadAsync(ct);
        return (await connection.QueryAsync<EventRow>(new CommandDefinition(
            """
            SELECT e.pos, e.kind, e.conversation_id AS ConversationId, e.seq, e.payload,
                   m.message_id AS MessageId, m.sender_id AS SenderId, m.client_message_id AS ClientMessageId, m.text, m.sent_at AS SentAt
            FROM chat_user_events e
            LEFT JOIN chat_messages m ON e.kind = 'message' AND m.conversation_id = e.conversation_id AND m.seq = e.seq
            WHERE e.user_id = @userId AND e.pos > @since
            ORDER BY e.pos
            LIMIT @limit
            """,
            new { userId, since, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Records when the user was last connected (their last socket on a node closed).</summary>
    public async Task SetLastSeenAsync(long userId, DateTimeOffset at, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        await using var connection = await database.OpenPrimaryAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_user_heads (user_id, last_pos, delivered_pos, last_seen_at) VALUES (@userId, 0, 0, @at)
            ON CONFLICT (user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
            """,
            new { userId, at = at.ToUnixTimeMilliseconds() }, cancellationToken: ct));
    }

    /// <summary>The last-seen times of the users who have one.</summary>
    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> LastSeenAsync(DbConnection connection, IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long UserId, long At)>(new CommandDefinition(
            $"SELECT user_id, last_seen_at FROM chat_user_heads WHERE {database.Dialect.InList("user_id", "userIds")} AND last_seen_at IS NOT NULL",
            new { userIds = userIds.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(row => row.UserId, row => DateTimeOffset.FromUnixTimeMilliseconds(row.At));
    }
}
