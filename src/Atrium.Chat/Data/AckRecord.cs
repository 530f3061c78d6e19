namespace Atrium.Chat.Data;

/// <summary>A device's cumulative acknowledgement: everything in the user's stream up to <see cref="Pos"/> was processed.</summary>
internal sealed record AckRecord(long UserId, string? Device, long Pos);
