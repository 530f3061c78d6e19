namespace Atrium.Chat.Data;

/// <summary>
/// A <c>chat_user_events</c> row; for a message event, joined with its message (the event references it, it does
/// not copy it).
/// </summary>
internal sealed record EventRow(
    long Pos, string Kind, long ConversationId, long? Seq, string? Payload,
    long? MessageId, long? SenderId, string? ClientMessageId, string? Text, long? SentAt)
{
    public MessageRow? Message =>
        MessageId is { } id && Seq is { } seq
            ? new MessageRow(ConversationId, seq, id, SenderId ?? 0, ClientMessageId ?? "", Text ?? "", SentAt ?? 0)
            : null;
}
