namespace Atrium.Chat.Data;

/// <summary>A receipt announced in a conversation, with the stream events that carry it.</summary>
internal sealed record ConversationReceipt(long ConversationId, ReceiptUpdate Update);
