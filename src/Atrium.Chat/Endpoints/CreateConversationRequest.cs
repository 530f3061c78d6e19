namespace Atrium.Chat.Endpoints;

/// <summary>Body of <c>POST /api/v1/conversations</c>: the other members by username, and an optional group title.</summary>
public sealed record CreateConversationRequest(IReadOnlyList<string>? Members, string? Title);
