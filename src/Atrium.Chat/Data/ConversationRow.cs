namespace Atrium.Chat.Data;

/// <summary>A <c>chat_conversations</c> row joined with the viewer's membership (both dialects, 64-bit integers, unix ms).</summary>
internal sealed record ConversationRow(
    long Id, string Kind, string? Title, long LastSeq, long DeliveredAllUpTo, long ReadAllUpTo, long CreatedAt, long LastActivity,
    long JoinedSeq, long ReadUpTo)
{
    public const string Columns =
        "c.id, c.kind, c.title, c.last_seq AS LastSeq, c.delivered_all_up_to AS DeliveredAllUpTo, c.read_all_up_to AS ReadAllUpTo, " +
        "c.created_at AS CreatedAt, c.last_activity AS LastActivity, m.joined_seq AS JoinedSeq, m.read_up_to AS ReadUpTo";

    /// <summary>Messages after the viewer's read watermark (or their join), their own included as read.</summary>
    public long Unread => Math.Max(0, LastSeq - Math.Max(ReadUpTo, JoinedSeq));
}
