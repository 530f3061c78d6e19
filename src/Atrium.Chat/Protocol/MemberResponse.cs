namespace Atrium.Chat.Protocol;

/// <summary>A member of a conversation with presence and receipt watermarks.</summary>
public sealed record MemberResponse(
    string Username, string DisplayName, bool Online, DateTimeOffset? LastSeenAt, long DeliveredUpTo, long ReadUpTo);
