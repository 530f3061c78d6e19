namespace Atrium.Chat.Endpoints;

/// <summary>The answer to a send over HTTP.</summary>
public sealed record SentResponse(string ConversationId, long Seq, string MessageId);
