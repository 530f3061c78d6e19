using Atrium.Chat.Protocol;

namespace Atrium.Chat.Endpoints;

/// <summary>A page of history in ascending seq; <c>HasMore</c>: older messages exist.</summary>
public sealed record MessagePage(IReadOnlyList<MessageResponse> Items, bool HasMore);
