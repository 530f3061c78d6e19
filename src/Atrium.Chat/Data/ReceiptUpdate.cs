namespace Atrium.Chat.Data;

/// <summary>
/// The result of moving a member's watermarks: whether they are a member at all, the receipt that was announced
/// (null when nothing moved or nobody needed to hear of it) and the stream events that announced it.
/// </summary>
internal sealed record ReceiptUpdate(bool IsMember, ReceiptPayload? Receipt, IReadOnlyList<StreamTarget> Targets)
{
    public static readonly ReceiptUpdate NotMember = new(false, null, []);
    public static readonly ReceiptUpdate Unchanged = new(true, null, []);
}
