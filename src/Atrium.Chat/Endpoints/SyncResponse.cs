using System.Text.Json;

namespace Atrium.Chat.Endpoints;

/// <summary>
/// Stream events after a position, exactly as the socket sends them; <c>Pos</c> is the next <c>since</c>. <c>Reset</c>:
/// the <c>since</c> is older than the retained stream (no events; fetch state over HTTP and continue from <c>Pos</c>).
/// </summary>
public sealed record SyncResponse(IReadOnlyList<JsonElement> Events, long Pos, bool HasMore, bool Reset = false);
