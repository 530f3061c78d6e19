using System.Data.Common;
using Atrium.Chat.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Ids;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>SQL over <c>chat_messages</c>: the send transaction and history pages.</summary>
internal sealed class MessageStore(IDatabase database, ChatWriteGate gate, SendBatcher batcher, SnowflakeIds ids, TimeProvider time)
{
    /// <summary>
    /// Stores a message of <paramref name="sender"/>, or finds the one an earlier send with the same client message id
    /// stored; null when the sender is not a member. <paramref name="afterCommit"/> runs once the new message is durable
    /// (never for a retry), before this returns. On PostgreSQL each send is its own transaction; on SQLite sends
    /// that arrive together share one (<see cref="SendBatcher"/>: one commit for many messages). Either way see
    /// <see cref="SendAsync(DbTransaction, long, long, string, string, CancellationToken)"/>.
    /// </summary>
    public async Task<StoredMessage?> SendAsync(
        long conversationId, long sender, string clientMessageId, string text, Func<StoredMessage, CancellationToken, Task> afterCommit, CancellationToken ct)
    {
        if (database.Dialect == SqlDialect.Sqlite)
        {
            return await batcher.SendAsync(new PendingSend(conversationId, sender, clientMessageId, text, afterCommit), ct);
        }

        using var turn = await gate.EnterAsync(ct);
        await using var connection = await database.OpenPrimaryAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var stored = await SendAsync(transaction, conversationId, sender, clientMessageId, text, ct);
        if (stored is not { Duplicate: false })
        {
            await transaction.RollbackAsync(ct); // nothing stored (a retry that found its original, or not a member)
            return stored;
        }

        await transaction.CommitAsync(ct);
        await afterCommit(stored, ct);
        return stored;
    }

    /// <summary>
    /// The send inside a transaction: membership; the duplicate check; the conversation row's counter gives the seq
    /// (row lock on PostgreSQL, the single writer on SQLite: gap-free, serialised per conversation); on PostgreSQL the
    /// duplicate check again under that lock (two racing retries cannot both insert: the loser's transaction is rolled
    /// back, giving its seq back); the message; the sender's own watermarks move to the new seq; every member's stream
    /// gets a message event. A duplicate writes nothing.
    /// </summary>
    public async Task<StoredMessage?> SendAsync(
        DbTransaction transaction, long conversationId, long sender, string clientMessageId, string text, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (await ConversationStore.MembershipAsync(connection, transaction, conversationId, sender, ct) is null)
        {
            return null;
        }

        if (await FindRetryAsync(transaction, conversationId, sender, clientMessageId, ct) is { } original)
        {
            return new StoredMessage(original, Duplicate: true, []);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE chat_conversations SET last_seq = last_seq + 1, last_activity = @now WHERE id = @conversationId RETURNING last_seq",
            new { conversationId, now }, transaction, cancellationToken: ct));
        if (database.Dialect == SqlDialect.Postgres && await FindRetryAsync(transaction, conversationId, sender, clientMessageId, ct) is { } raced)
        {
            return new StoredMessage(raced, Duplicate: true, []);
        }

        var message = new MessageRow(conversationId, seq, ids.Next(), sender, clientMessageId, text, now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_messages (conversation_id, seq, message_id, sender_id, client_message_id, text, sent_at)
            VALUES (@ConversationId, @Seq, @MessageId, @SenderId, @ClientMessageId, @Text, @SentAt)
            """,
            message, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE chat_members SET delivered_up_to = @seq, read_up_to = @seq WHERE conversation_id = @conversationId AND user_id = @sender",
            new { conversationId, sender, seq }, transaction, cancellationToken: ct));
        var targets = await StreamAppender.ToMembersAsync(transaction, database.Dialect, conversationId, StreamEventKind.Message, seq, null, now, ct);
        return new StoredMessage(message, Duplicate: false, targets);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> messages with <paramref name="afterSeq"/> &lt; seq &lt; <paramref name="beforeSeq"/>,
    /// newest first, plus one more to tell whether older ones exist.
    /// </summary>
    public static async Task<IReadOnlyList<MessageRow>> PageAsync(
        DbConnection connection, long conversationId, long afterSeq, long beforeSeq, int limit, CancellationToken ct) =>
        (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            $"""
            SELECT {MessageRow.Columns} FROM chat_messages
            WHERE conversation_id = @conversationId AND seq > @afterSeq AND seq < @beforeSeq
            ORDER BY seq DESC LIMIT @take
            """,
            new { conversationId, afterSeq, beforeSeq, take = limit + 1 }, cancellationToken: ct))).AsList();

    /// <summary>The message with this seq, if any.</summary>
    public static async Task<MessageRow?> FindAsync(DbConnection connection, long conversationId, long seq, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"SELECT {MessageRow.Columns} FROM chat_messages WHERE conversation_id = @conversationId AND seq = @seq",
            new { conversationId, seq }, cancellationToken: ct));

    private static async Task<MessageRow?> FindRetryAsync(
        DbTransaction transaction, long conversationId, long sender, string clientMessageId, CancellationToken ct) =>
        await transaction.Connection!.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"SELECT {MessageRow.Columns} FROM chat_messages WHERE conversation_id = @conversationId AND sender_id = @sender AND client_message_id = @clientMessageId",
            new { conversationId, sender, clientMessageId }, transaction, cancellationToken: ct));
}
