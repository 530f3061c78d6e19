namespace Atrium.Chat.Endpoints;

/// <summary>Body of <c>POST /api/v1/conversations/{id}/members</c>.</summary>
public sealed record AddMembersRequest(IReadOnlyList<string>? Members);
