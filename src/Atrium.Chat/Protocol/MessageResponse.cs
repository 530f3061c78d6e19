namespace Atrium.Chat.Protocol;

/// <summary>A message (docs/chat-protocol.md, <c>Message</c>). Ids are decimal strings.</summary>
public sealed record MessageResponse(
    string ConversationId, long Seq, string MessageId, string ClientMessageId, UserRef Sender, string Text, DateTimeOffset SentAt);
