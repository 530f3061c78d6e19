using System.Data.Common;
using Atrium.Chat.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>
/// Receipt watermarks (<c>chat_members.delivered_up_to / read_up_to</c>): they only move forward, are clamped to the
/// conversation's last seq, and reading implies delivery. Announcements are coalesced: in a direct conversation both
/// members hear of every move; in a group everyone hears when the group's minimum ("read by all", "delivered to all")
/// moves, and otherwise only the reader's own devices hear of their read (unread counts across devices) — so a
/// message in a group costs at most two announcements per member, not one per member per member.
/// </summary>
internal sealed class ReceiptStore(IDatabase database, ChatWriteGate gate, TimeProvider time, FailPoints failPoints)
{
    /// <summary>Moves one member's watermarks in its own transaction.</summary>
    public async Task<ReceiptUpdate> AdvanceAsync(long conversationId, long userId, long deliveredUpTo, long readUpTo, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        await using var connection = await database.OpenPrimaryAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var update = await AdvanceAsync(transaction, conversationId, userId, deliveredUpTo, readUpTo, ct);
        await transaction.CommitAsync(ct);
        return update;
    }

    /// <summary>
    /// Applies a batch of acks: each moves the delivered watermark of every conversation with a message in the newly
    /// acknowledged part of the user's stream, then the device's position and the user's delivered position. The
    /// positions move last, so a failure in between leaves them where they were and the next flush recomputes the same
    /// range (watermarks only move forward: applying it twice is harmless); no receipt is left behind. On SQLite the
    /// whole batch is one transaction (one commit for every ack of a flush interval); on PostgreSQL each conversation
    /// and each position move is its own short transaction, so no transaction holds the rows of several conversations.
    /// </summary>
    public async Task<IReadOnlyList<ConversationReceipt>> ApplyAcksAsync(IReadOnlyList<AckRecord> acks, CancellationToken ct)
    {
        var receipts = new List<ConversationReceipt>();
        if (database.Dialect == SqlDialect.Sqlite)
        {
            using var turn = await gate.EnterAsync(ct);
            await using var connection = await database.OpenPrimaryAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            foreach (var ack in acks)
            {
                var (from, delivered) = await NewlyDeliveredAsync(connection, transaction, ack, ct);
                foreach (var (conversationId, seq) in delivered)
                {
                    receipts.Add(new(conversationId, await AdvanceAsync(transaction, conversationId, ack.UserId, seq, 0, ct)));
                }

                failPoints.Hit(FailPoints.ChatAcksMidway);
                await RecordPositionAsync(transaction, ack, from, ct);
            }

            await transaction.CommitAsync(ct);
            return receipts;
        }

        foreach (var ack in acks)
        {
            long from;
            IReadOnlyList<(long ConversationId, long Seq)> delivered;
            await using (var connection = await database.OpenPrimaryAsync(ct))
            {
                (from, delivered) = await NewlyDeliveredAsync(connection, null, ack, ct);
            }

            foreach (var (conversationId, seq) in delivered)
            {
                receipts.Add(new(conversationId, await AdvanceAsync(conversationId, ack.UserId, seq, 0, ct)));
            }

            failPoints.Hit(FailPoints.ChatAcksMidway);
            await using (var connection = await database.OpenPrimaryAsync(ct))
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await RecordPositionAsync(transaction, ack, from, ct);
                await transaction.CommitAsync(ct);
            }
        }

        return receipts;
    }

    /// <summary>Where a named device left off, or null for a device never seen.</summary>
    public async Task<long?> DevicePositionAsync(long userId, string device, CancellationToken ct)
    {
        await using var connection = await database.OpenPrimaryAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT acked_pos FROM chat_devices WHERE user_id = @userId AND device = @device", new { userId, device }, cancellationToken: ct));
    }

    private async Task<ReceiptUpdate> AdvanceAsync(
        DbTransaction transaction, long conversationId, long userId, long deliveredUpTo, long readUpTo, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (await ConversationStore.MembershipAsync(connection, transaction, conversationId, userId, ct) is not { } member)
        {
            return ReceiptUpdate.NotMember;
        }

        // Locks the conversation row first, like a send does: one lock order (conversation, member, heads) for all writers.
        var conversation = await connection.QuerySingleAsync<(string Kind, long LastSeq, long DeliveredAll, long ReadAll)>(new CommandDefinition(
            "UPDATE chat_conversations SET last_seq = last_seq WHERE id = @conversationId RETURNING kind, last_seq, delivered_all_up_to, read_all_up_to",
            new { conversationId }, transaction, cancellationToken: ct));
        var read = Math.Min(readUpTo, conversation.LastSeq);
        var delivered = Math.Max(Math.Min(deliveredUpTo, conversation.LastSeq), read);
        var marks = await connection.QuerySingleOrDefaultAsync<Watermarks>(new CommandDefinition(
            """
            UPDATE chat_members SET
                delivered_up_to = CASE WHEN @delivered > delivered_up_to THEN @delivered ELSE delivered_up_to END,
                read_up_to = CASE WHEN @read > read_up_to THEN @read ELSE read_up_to END
            WHERE conversation_id = @conversationId AND user_id = @userId AND (delivered_up_to < @delivered OR read_up_to < @read)
            RETURNING delivered_up_to AS DeliveredUpTo, read_up_to AS ReadUpTo
            """,
            new { conversationId, userId, delivered, read }, transaction, cancellationToken: ct));
        if (marks is null)
        {
            return ReceiptUpdate.Unchanged;
        }

        var minimums = await connection.QuerySingleAsync<(long DeliveredAll, long ReadAll)>(new CommandDefinition(
            "SELECT MIN(delivered_up_to), MIN(read_up_to) FROM chat_members WHERE conversation_id = @conversationId",
            new { conversationId }, transaction, cancellationToken: ct));
        var minimumMoved = minimums.DeliveredAll > conversation.DeliveredAll || minimums.ReadAll > conversation.ReadAll;
        if (minimumMoved)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE chat_conversations SET delivered_all_up_to = @DeliveredAll, read_all_up_to = @ReadAll WHERE id = @conversationId",
                new { conversationId, minimums.DeliveredAll, minimums.ReadAll }, transaction, cancellationToken: ct));
        }

        var receipt = new ReceiptPayload(userId, marks.DeliveredUpTo, marks.ReadUpTo, minimums.DeliveredAll, minimums.ReadAll);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (conversation.Kind == ConversationKind.Direct || minimumMoved)
        {
            var everyone = await StreamAppender.ToMembersAsync(transaction, database.Dialect, conversationId, StreamEventKind.Receipt, null, receipt.ToJson(), now, ct);
            return new ReceiptUpdate(true, receipt, everyone);
        }

        if (read > member.ReadUpTo)
        {
            var own = await StreamAppender.ToUserAsync(transaction, userId, conversationId, StreamEventKind.Receipt, null, receipt.ToJson(), now, ct);
            return new ReceiptUpdate(true, receipt, [own]);
        }

        return ReceiptUpdate.Unchanged;
    }

    /// <summary>
    /// The user's delivered position, and for the part of the stream after it up to the ack (what no flush has
    /// acknowledged yet), the highest message seq per conversation beyond the member's delivered watermark.
    /// </summary>
    private static async Task<(long From, IReadOnlyList<(long ConversationId, long Seq)> Delivered)> NewlyDeliveredAsync(
        DbConnection connection, DbTransaction? transaction, AckRecord ack, CancellationToken ct)
    {
        var (userId, _, pos) = ack;
        var from = await connection.QuerySingleOrDefaultAsync<long>(new CommandDefinition(
            "SELECT delivered_pos FROM chat_user_heads WHERE user_id = @userId", new { userId }, transaction, cancellationToken: ct));
        if (pos <= from)
        {
            return (from, []);
        }

        // A second node applying an overlapping ack finds nothing new: the watermark condition filters it.
        var delivered = (await connection.QueryAsync<(long, long)>(new CommandDefinition(
            """
            SELECT e.conversation_id, MAX(e.seq) FROM chat_user_events e
            JOIN chat_members m ON m.conversation_id = e.conversation_id AND m.user_id = e.user_id
            WHERE e.user_id = @userId AND e.pos > @from AND e.pos <= @pos AND e.kind = 'message' AND e.seq > m.delivered_up_to
            GROUP BY e.conversation_id
            """,
            new { userId, from, pos }, transaction, cancellationToken: ct))).AsList();
        return (from, delivered);
    }

    /// <summary>
    /// Records the device's position and moves the user's delivered position to the ack, also when that part of the
    /// stream delivered nothing new (own messages, receipts): the next ack scans only what follows.
    /// </summary>
    private async Task RecordPositionAsync(DbTransaction transaction, AckRecord ack, long from, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        var (userId, device, pos) = ack;
        if (device is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chat_devices (user_id, device, acked_pos, seen_at) VALUES (@userId, @device, @pos, @now)
                ON CONFLICT (user_id, device) DO UPDATE SET
                    acked_pos = CASE WHEN excluded.acked_pos > chat_devices.acked_pos THEN excluded.acked_pos ELSE chat_devices.acked_pos END,
                    seen_at = excluded.seen_at
                """,
                new { userId, device, pos, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: ct));
        }

        if (pos > from)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE chat_user_heads SET delivered_pos = @pos WHERE user_id = @userId AND delivered_pos < @pos",
                new { userId, pos }, transaction, cancellationToken: ct));
        }
    }
}
