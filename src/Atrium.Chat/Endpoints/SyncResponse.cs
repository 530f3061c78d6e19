using System.Text.Json;

namespace Atrium.Chat.Endpoints;

/// <summary>Stream events after a position, exactly as the socket sends them; <c>Pos</c> is the next <c>since</c>.</summary>
public sealed record SyncResponse(IReadOnlyList<JsonElement> Events, long Pos, bool HasMore);
