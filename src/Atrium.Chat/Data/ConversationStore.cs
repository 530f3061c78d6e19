using System.Data.Common;
using Atrium.Chat.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Ids;
using Dapper;

namespace Atrium.Chat.Data;

/// <summary>SQL over <c>chat_conversations</c> and <c>chat_members</c>: creation, membership, listing.</summary>
internal sealed class ConversationStore(IDatabase database, ChatWriteGate gate, SnowflakeIds ids, TimeProvider time)
{
    /// <summary>
    /// Creates a conversation of <paramref name="creator"/> and <paramref name="others"/> (distinct, without the creator)
    /// and announces it in every member's stream. A direct conversation (<paramref name="kind"/> direct) is unique per
    /// pair: when it exists already it is returned with <c>Created</c> false and nothing is written.
    /// </summary>
    public async Task<(long Id, bool Created, IReadOnlyList<StreamTarget> Targets)> CreateAsync(
        long creator, IReadOnlyList<long> others, string kind, string? title, CancellationToken ct)
    {
        var directKey = kind == ConversationKind.Direct ? ConversationKind.DirectKey(creator, others[0]) : null;
        using var turn = await gate.EnterAsync(ct);
        await using var connection = await database.OpenPrimaryAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (directKey is not null && await FindDirectAsync(connection, transaction, directKey, ct) is { } existing)
        {
            return (existing, false, []);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = ids.Next();
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_conversations (id, kind, title, direct_key, last_seq, delivered_all_up_to, read_all_up_to, created_by, created_at, last_activity)
            VALUES (@id, @kind, @title, @directKey, 0, 0, 0, @creator, @now, @now)
            ON CONFLICT DO NOTHING
            """,
            new { id, kind, title, directKey, creator, now }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            // Another request created the same direct conversation a moment ago.
            await transaction.RollbackAsync(ct);
            await using var again = await connection.BeginTransactionAsync(ct);
            return (await FindDirectAsync(connection, again, directKey!, ct) ?? throw new InvalidOperationException("Direct conversation vanished."), false, []);
        }

        var members = others.Prepend(creator).ToArray();
        await InsertMembersAsync(transaction, id, members, joinedSeq: 0, now, ct);
        var targets = await StreamAppender.ToMembersAsync(transaction, database.Dialect, id, StreamEventKind.Conversation, null, null, now, ct);
        await transaction.CommitAsync(ct);
        return (id, true, targets);
    }

    /// <summary>The outcome of adding members.</summary>
    internal enum AddOutcome
    {
        Added,
        NotFound,
        NotAGroup,
        TooMany,
    }

    /// <summary>
    /// Adds <paramref name="userIds"/> to the group <paramref name="conversationId"/> on behalf of its member
    /// <paramref name="actor"/>. New members join at the current last seq: they see the history from their join.
    /// Members already in are ignored. Everyone's stream gets a conversation event when someone was added.
    /// </summary>
    public async Task<(AddOutcome Outcome, IReadOnlyList<StreamTarget> Targets)> AddMembersAsync(
        long conversationId, long actor, IReadOnlyList<long> userIds, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        await using var connection = await database.OpenPrimaryAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Locks the conversation row: a concurrent send waits, so the new member's joined_seq is exact.
        var conversation = await connection.QuerySingleOrDefaultAsync<(string Kind, long LastSeq)>(new CommandDefinition(
            "UPDATE chat_conversations SET last_activity = last_activity WHERE id = @conversationId RETURNING kind, last_seq",
            new { conversationId }, transaction, cancellationToken: ct));
        if (conversation.Kind is null || !await IsMemberAsync(connection, transaction, conversationId, actor, ct))
        {
            return (AddOutcome.NotFound, []);
        }

        if (conversation.Kind != ConversationKind.Group)
        {
            return (AddOutcome.NotAGroup, []);
        }

        var current = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT user_id FROM chat_members WHERE conversation_id = @conversationId", new { conversationId }, transaction, cancellationToken: ct))).ToHashSet();
        var added = userIds.Where(id => !current.Contains(id)).Distinct().ToArray();
        if (added.Length == 0)
        {
            return (AddOutcome.Added, []);
        }

        if (current.Count + added.Length > ChatLimits.MaxMembers)
        {
            return (AddOutcome.TooMany, []);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await InsertMembersAsync(transaction, conversationId, added, conversation.LastSeq, now, ct);
        var targets = await StreamAppender.ToMembersAsync(transaction, database.Dialect, conversationId, StreamEventKind.Conversation, null, null, now, ct);
        await transaction.CommitAsync(ct);
        return (AddOutcome.Added, targets);
    }

    /// <summary>The viewer's membership, or null when they are not a member (or there is no such conversation).</summary>
    public static async Task<MemberRow?> MembershipAsync(DbConnection connection, DbTransaction? transaction, long conversationId, long userId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            $"SELECT {MemberRow.Columns} FROM chat_members WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId }, transaction, cancellationToken: ct));

    /// <summary>The conversation as <paramref name="viewer"/> sees it, or null when they are not a member.</summary>
    public static async Task<ConversationRow?> FindAsync(DbConnection connection, long conversationId, long viewer, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(
            $"""
            SELECT {ConversationRow.Columns}
            FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
            WHERE m.conversation_id = @conversationId AND m.user_id = @viewer
            """,
            new { conversationId, viewer }, cancellationToken: ct));

    /// <summary>
    /// <paramref name="viewer"/>'s conversations, most recent activity first, after the keyset cursor
    /// (<paramref name="beforeActivity"/>, <paramref name="beforeId"/>). Reads the viewer's memberships by index and
    /// sorts them: a user's conversation count is modest (the activity lives on the conversation row, which a send
    /// updates anyway, rather than on every member row).
    /// </summary>
    public static async Task<IReadOnlyList<ConversationRow>> ListAsync(
        DbConnection connection, long viewer, long? beforeActivity, long? beforeId, int limit, CancellationToken ct) =>
        (await connection.QueryAsync<ConversationRow>(new CommandDefinition(
            $"""
            SELECT {ConversationRow.Columns}
            FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
            WHERE m.user_id = @viewer
            {(beforeActivity is null ? "" : "AND (c.last_activity < @beforeActivity OR (c.last_activity = @beforeActivity AND c.id < @beforeId))")}
            ORDER BY c.last_activity DESC, c.id DESC
            LIMIT @limit
            """,
            new { viewer, beforeActivity, beforeId, limit }, cancellationToken: ct))).AsList();

    /// <summary>The members of the conversations, with their watermarks.</summary>
    public async Task<IReadOnlyList<MemberRow>> MembersAsync(DbConnection connection, IReadOnlyCollection<long> conversationIds, CancellationToken ct) =>
        (await connection.QueryAsync<MemberRow>(new CommandDefinition(
            $"SELECT {MemberRow.Columns} FROM chat_members WHERE {database.Dialect.InList("conversation_id", "conversationIds")} ORDER BY conversation_id, joined_seq, user_id",
            new { conversationIds = conversationIds.ToArray() }, cancellationToken: ct))).AsList();

    /// <summary>The user ids of the members of one conversation.</summary>
    public static async Task<IReadOnlyList<long>> MemberIdsAsync(DbConnection connection, long conversationId, CancellationToken ct) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT user_id FROM chat_members WHERE conversation_id = @conversationId", new { conversationId }, cancellationToken: ct))).AsList();

    /// <summary>Everyone who shares at least one conversation with <paramref name="userId"/> (the audience of their presence).</summary>
    public static async Task<IReadOnlyList<long>> ContactsAsync(DbConnection connection, long userId, CancellationToken ct) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT other.user_id
            FROM chat_members mine JOIN chat_members other ON other.conversation_id = mine.conversation_id
            WHERE mine.user_id = @userId AND other.user_id <> @userId
            """,
            new { userId }, cancellationToken: ct))).AsList();

    private static async Task<bool> IsMemberAsync(DbConnection connection, DbTransaction transaction, long conversationId, long userId, CancellationToken ct) =>
        await MembershipAsync(connection, transaction, conversationId, userId, ct) is not null;

    private static async Task<long?> FindDirectAsync(DbConnection connection, DbTransaction transaction, string directKey, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM chat_conversations WHERE direct_key = @directKey", new { directKey }, transaction, cancellationToken: ct));

    private static async Task InsertMembersAsync(DbTransaction transaction, long conversationId, IReadOnlyList<long> userIds, long joinedSeq, long now, CancellationToken ct)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_members (conversation_id, user_id, joined_seq, delivered_up_to, read_up_to, joined_at)
            VALUES (@conversationId, @userId, @joinedSeq, @joinedSeq, @joinedSeq, @now)
            ON CONFLICT (conversation_id, user_id) DO NOTHING
            """,
            userIds.Select(userId => new { conversationId, userId, joinedSeq, now }), transaction, cancellationToken: ct));
        await StreamAppender.EnsureHeadsAsync(transaction, userIds, ct);
    }
}
