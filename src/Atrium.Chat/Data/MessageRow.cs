namespace Atrium.Chat.Data;

/// <summary>A <c>chat_messages</c> row.</summary>
internal sealed record MessageRow(long ConversationId, long Seq, long MessageId, long SenderId, string ClientMessageId, string Text, long SentAt)
{
    public const string Columns =
        "conversation_id AS ConversationId, seq, message_id AS MessageId, sender_id AS SenderId, client_message_id AS ClientMessageId, text, sent_at AS SentAt";
}
