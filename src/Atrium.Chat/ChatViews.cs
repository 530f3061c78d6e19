using System.Data.Common;
using System.Globalization;
using Atrium.Chat.Data;
using Atrium.Chat.Delivery;
using Atrium.Chat.Domain;
using Atrium.Chat.Protocol;
using Atrium.Platform.Data;
using Atrium.Platform.Users;

namespace Atrium.Chat;

/// <summary>
/// Renders rows into what clients see (docs/chat-protocol.md): users by name through the cached
/// <see cref="IUserDirectory"/>, presence through the registry, stream events as frames.
/// </summary>
internal sealed class ChatViews(IUserDirectory users, IPresenceRegistry presence, ConversationStore conversations, StreamStore streams, IDatabase database)
{
    private static readonly UserRef Unknown = new("deleted", "Deleted user");

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static UserRef Ref(UserSummary? user) => user is null ? Unknown : new UserRef(user.Username, user.DisplayName);

    public async Task<UserRef> UserAsync(long userId, CancellationToken ct) =>
        Ref((await users.GetManyAsync([userId], ct)).GetValueOrDefault(userId));

    public async Task<MessageResponse> MessageAsync(MessageRow message, CancellationToken ct) =>
        (await MessagesAsync([message], ct))[0];

    public async Task<IReadOnlyList<MessageResponse>> MessagesAsync(IReadOnlyList<MessageRow> messages, CancellationToken ct)
    {
        var senders = await users.GetManyAsync(messages.Select(m => m.SenderId).Distinct().ToArray(), ct);
        return [.. messages.Select(m => ToResponse(m, senders))];
    }

    /// <summary>The conversations as their viewer sees them: members with presence and watermarks, last message, unread.</summary>
    public async Task<IReadOnlyList<ConversationResponse>> ConversationsAsync(DbConnection connection, IReadOnlyList<ConversationRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var members = await conversations.MembersAsync(connection, [.. rows.Select(r => r.Id)], ct);
        var memberIds = members.Select(m => m.UserId).Distinct().ToArray();
        var people = await users.GetManyAsync(memberIds, ct);
        var online = await presence.OnlineAsync(memberIds, ct);
        var lastSeen = await streams.LastSeenAsync(connection, memberIds, ct);
        var lastMessages = new List<MessageRow>();
        foreach (var row in rows.Where(r => r.LastSeq > r.JoinedSeq))
        {
            if (await MessageStore.FindAsync(connection, row.Id, row.LastSeq, ct) is { } last)
            {
                lastMessages.Add(last);
            }
        }

        var senders = await users.GetManyAsync(lastMessages.Select(m => m.SenderId).Distinct().ToArray(), ct);
        var lastByConversation = lastMessages.ToDictionary(m => m.ConversationId, m => ToResponse(m, senders));
        var membersByConversation = members.ToLookup(m => m.ConversationId);
        return [.. rows.Select(row => new ConversationResponse(
            Id(row.Id),
            row.Kind,
            row.Title,
            [.. membersByConversation[row.Id].Select(m =>
            {
                var user = Ref(people.GetValueOrDefault(m.UserId));
                var isOnline = online.Contains(m.UserId);
                return new MemberResponse(user.Username, user.DisplayName, isOnline,
                    !isOnline && lastSeen.TryGetValue(m.UserId, out var seen) ? seen : null,
                    m.DeliveredUpTo, m.ReadUpTo);
            })],
            row.LastSeq,
            lastByConversation.GetValueOrDefault(row.Id),
            row.Unread,
            row.ReadAllUpTo,
            row.DeliveredAllUpTo,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt)))];
    }

    /// <summary>One conversation as <paramref name="viewer"/> sees it, from the primary; null when they are not a member.</summary>
    public async Task<ConversationResponse?> ConversationAsync(long conversationId, long viewer, CancellationToken ct)
    {
        await using var connection = await database.OpenPrimaryAsync(ct);
        return await ConversationStore.FindAsync(connection, conversationId, viewer, ct) is { } row
            ? (await ConversationsAsync(connection, [row], ct))[0]
            : null;
    }

    /// <summary>The tail (see <see cref="ChatJson.Tail{T}"/>) of a message event.</summary>
    public async Task<string> MessageTailAsync(MessageRow message, CancellationToken ct) =>
        ChatJson.Tail(new MessageEvent(await MessageAsync(message, ct)));

    /// <summary>The tail of a receipt event.</summary>
    public async Task<string> ReceiptTailAsync(long conversationId, ReceiptPayload receipt, CancellationToken ct) =>
        ChatJson.Tail(new ReceiptEvent(
            Id(conversationId), await UserAsync(receipt.UserId, ct), receipt.DeliveredUpTo, receipt.ReadUpTo,
            receipt.DeliveredToAllUpTo, receipt.ReadByAllUpTo));

    /// <summary>Stream events of <paramref name="viewer"/> as frames, in order.</summary>
    public async Task<IReadOnlyList<string>> EventsAsync(long viewer, IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        var messages = rows.Select(r => r.Message).OfType<MessageRow>().ToArray();
        var senders = await users.GetManyAsync(messages.Select(m => m.SenderId).Distinct().ToArray(), ct);
        var frames = new List<string>(rows.Count);
        foreach (var row in rows)
        {
            string? tail = row.Kind switch
            {
                StreamEventKind.Message when row.Message is { } message => ChatJson.Tail(new MessageEvent(ToResponse(message, senders))),
                StreamEventKind.Receipt when row.Payload is { } payload => await ReceiptTailAsync(row.ConversationId, ReceiptPayload.FromJson(payload), ct),
                StreamEventKind.Conversation when await ConversationAsync(row.ConversationId, viewer, ct) is { } conversation =>
                    ChatJson.Tail(new ConversationEvent(conversation)),
                _ => null,
            };
            if (tail is not null)
            {
                frames.Add(ChatJson.WithPos(row.Pos, tail));
            }
        }

        return frames;
    }

    private static MessageResponse ToResponse(MessageRow message, IReadOnlyDictionary<long, UserSummary> senders) => new(
        Id(message.ConversationId), message.Seq, Id(message.MessageId), message.ClientMessageId,
        Ref(senders.GetValueOrDefault(message.SenderId)), message.Text, DateTimeOffset.FromUnixTimeMilliseconds(message.SentAt));
}
