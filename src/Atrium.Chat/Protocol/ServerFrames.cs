using System.Text.Json.Serialization;

namespace Atrium.Chat.Protocol;

// The server → client frames of docs/chat-protocol.md; they travel together, so they share a file.

/// <summary>
/// The answer to <c>hello</c>: who you are and the head of your stream. <c>Reset</c> (only written when true): the
/// cursor is older than the retained stream, nothing is replayed; fetch state over HTTP and continue from <c>Pos</c>.
/// </summary>
internal sealed record WelcomeFrame(UserRef User, long Pos, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Reset = false)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "welcome";
}

/// <summary>The answer to <c>send</c>.</summary>
internal sealed record SentFrame(string ConversationId, string ClientMessageId, long Seq, string MessageId)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "sent";
}

/// <summary>An error answer; <c>Ref</c> names the send it answers.</summary>
internal sealed record ErrorFrame(string Code, string Message, string? Ref = null, long? RetryAfterMs = null)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "error";
}

/// <summary>A contact came online or went offline.</summary>
internal sealed record PresenceFrame(UserRef User, bool Online, DateTimeOffset? LastSeenAt)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "presence";
}

/// <summary>A member is typing.</summary>
internal sealed record TypingFrame(string ConversationId, UserRef User)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "typing";
}

/// <summary>The answer to <c>ping</c>.</summary>
internal sealed record PongFrame
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "pong";
}

/// <summary>A message stream event (without its position, see <see cref="ChatJson.Tail{T}"/>).</summary>
internal sealed record MessageEvent(MessageResponse Message)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "message";
}

/// <summary>A receipt stream event.</summary>
internal sealed record ReceiptEvent(
    string ConversationId, UserRef User, long DeliveredUpTo, long ReadUpTo, long DeliveredToAllUpTo, long ReadByAllUpTo)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "receipt";
}

/// <summary>A conversation stream event (rendered for its recipient when delivered).</summary>
internal sealed record ConversationEvent(ConversationResponse Conversation)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = "conversation";
}
