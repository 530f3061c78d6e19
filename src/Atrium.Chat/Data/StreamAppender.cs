using System.Data.Common;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>
/// Appends events to users' streams inside the caller's transaction: each target's head is incremented
/// (<c>chat_user_heads.last_pos</c>, row-locked until commit, so positions are gap-free and committed in order per
/// user) and one <c>chat_user_events</c> row is written per target. Appending to every member of a conversation is
/// the fan-out on write: one small row per member per message (a 1,024-member group writes 1,024 rows), which buys
/// a reconnect that is a single indexed range read of one user's stream.
/// </summary>
internal static class StreamAppender
{
    private const string MembersOf = "user_id IN (SELECT user_id FROM chat_members WHERE conversation_id = @conversationId)";

    /// <summary>Appends the event to the stream of every member of the conversation.</summary>
    public static async Task<IReadOnlyList<StreamTarget>> ToMembersAsync(
        DbTransaction transaction, SqlDialect dialect, long conversationId, string kind, long? seq, string? payload, long now, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        var parameters = new { conversationId, kind, seq, payload, now };
        if (dialect.LockHeads(MembersOf) is { } lockHeads)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockHeads, parameters, transaction, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE chat_user_heads SET last_pos = last_pos + 1 WHERE {MembersOf}", parameters, transaction, cancellationToken: ct));
        var targets = await connection.QueryAsync<StreamTarget>(new CommandDefinition(
            """
            INSERT INTO chat_user_events (user_id, pos, kind, conversation_id, seq, payload, created_at)
            SELECT h.user_id, h.last_pos, CAST(@kind AS TEXT), @conversationId, CAST(@seq AS BIGINT), CAST(@payload AS TEXT), @now
            FROM chat_user_heads h JOIN chat_members m ON m.user_id = h.user_id
            WHERE m.conversation_id = @conversationId
            RETURNING user_id AS UserId, pos AS Pos
            """,
            parameters, transaction, cancellationToken: ct));
        return targets.AsList();
    }

    /// <summary>Appends the event to one user's stream.</summary>
    public static async Task<StreamTarget> ToUserAsync(
        DbTransaction transaction, long userId, long conversationId, string kind, long? seq, string? payload, long now, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        var pos = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE chat_user_heads SET last_pos = last_pos + 1 WHERE user_id = @userId RETURNING last_pos",
            new { userId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_user_events (user_id, pos, kind, conversation_id, seq, payload, created_at)
            VALUES (@userId, @pos, @kind, @conversationId, @seq, @payload, @now)
            """,
            new { userId, pos, kind, conversationId, seq, payload, now }, transaction, cancellationToken: ct));
        return new StreamTarget(userId, pos);
    }

    /// <summary>Makes sure each user has a stream head (a user gets one when they first join a conversation).</summary>
    public static async Task EnsureHeadsAsync(DbTransaction transaction, IEnumerable<long> userIds, CancellationToken ct) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO chat_user_heads (user_id, last_pos, delivered_pos) VALUES (@userId, 0, 0) ON CONFLICT (user_id) DO NOTHING",
            userIds.Select(userId => new { userId }), transaction, cancellationToken: ct));
}
