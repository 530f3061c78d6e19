using System.Text.Json.Serialization;

namespace Atrium.Chat.Protocol;

/// <summary>
/// Any client → server frame (docs/chat-protocol.md): the union of their fields, read leniently (unknown fields are
/// ignored so that newer clients keep working); each handler checks the fields its type needs.
/// </summary>
internal sealed record ClientFrame(
    string? Type,
    string? Token,
    long? Since,
    string? Device,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? ConversationId,
    string? ClientMessageId,
    string? Text,
    long? Pos,
    long? Seq);
