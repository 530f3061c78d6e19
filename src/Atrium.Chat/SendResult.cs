using Atrium.Chat.Data;

namespace Atrium.Chat;

/// <summary>The outcome of a send, the same for the socket and HTTP.</summary>
internal sealed record SendResult(SendStatus Status, MessageRow? Message = null, string? Error = null, TimeSpan? RetryAfter = null);
