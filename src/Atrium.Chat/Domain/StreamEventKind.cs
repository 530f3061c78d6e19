namespace Atrium.Chat.Domain;

/// <summary>The kinds of events in a user's stream (<c>chat_user_events.kind</c> and the frame's <c>type</c>).</summary>
internal static class StreamEventKind
{
    public const string Message = "message";
    public const string Receipt = "receipt";
    public const string Conversation = "conversation";
}
