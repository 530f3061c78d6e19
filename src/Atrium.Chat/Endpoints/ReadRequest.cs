namespace Atrium.Chat.Endpoints;

/// <summary>Body of <c>POST /api/v1/conversations/{id}/read</c>.</summary>
public sealed record ReadRequest(long Seq);
