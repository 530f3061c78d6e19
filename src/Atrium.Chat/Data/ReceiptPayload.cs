using System.Text.Json;

namespace Atrium.Chat.Data;

/// <summary>What a receipt event stores (<c>chat_user_events.payload</c>): one member's watermarks and the conversation's minimums.</summary>
internal sealed record ReceiptPayload(long UserId, long DeliveredUpTo, long ReadUpTo, long DeliveredToAllUpTo, long ReadByAllUpTo)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReceiptPayload FromJson(string json) =>
        JsonSerializer.Deserialize<ReceiptPayload>(json, Json) ?? throw new InvalidOperationException("Empty receipt payload.");
}
