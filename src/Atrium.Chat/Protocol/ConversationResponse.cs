namespace Atrium.Chat.Protocol;

/// <summary>A conversation as one member sees it (docs/chat-protocol.md, <c>Conversation</c>).</summary>
public sealed record ConversationResponse(
    string Id,
    string Kind,
    string? Title,
    IReadOnlyList<MemberResponse> Members,
    long LastSeq,
    MessageResponse? LastMessage,
    long Unread,
    long ReadByAllUpTo,
    long DeliveredToAllUpTo,
    DateTimeOffset CreatedAt);
