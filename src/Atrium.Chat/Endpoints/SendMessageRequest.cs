namespace Atrium.Chat.Endpoints;

/// <summary>Body of <c>POST /api/v1/conversations/{id}/messages</c>: the same fields as the socket's <c>send</c>.</summary>
public sealed record SendMessageRequest(string? ClientMessageId, string? Text);
