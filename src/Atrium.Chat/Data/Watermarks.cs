namespace Atrium.Chat.Data;

/// <summary>A member's receipt watermarks after an update.</summary>
internal sealed record Watermarks(long DeliveredUpTo, long ReadUpTo);
