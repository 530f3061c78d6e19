namespace Atrium.Chat.Data;

/// <summary>A <c>chat_members</c> row: membership and the member's receipt watermarks.</summary>
internal sealed record MemberRow(long ConversationId, long UserId, long JoinedSeq, long DeliveredUpTo, long ReadUpTo)
{
    public const string Columns =
        "conversation_id AS ConversationId, user_id AS UserId, joined_seq AS JoinedSeq, delivered_up_to AS DeliveredUpTo, read_up_to AS ReadUpTo";
}
