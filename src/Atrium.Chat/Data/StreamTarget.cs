namespace Atrium.Chat.Data;

/// <summary>One appended stream event: whose stream, at which position.</summary>
internal sealed record StreamTarget(long UserId, long Pos);
