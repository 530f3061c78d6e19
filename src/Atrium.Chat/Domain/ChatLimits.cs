namespace Atrium.Chat.Domain;

/// <summary>The fixed limits of the chat protocol (docs/chat-protocol.md, "Rules and limits").</summary>
internal static class ChatLimits
{
    public const int MaxTextLength = 4_000;
    public const int MaxClientMessageIdLength = 64;
    public const int MaxMembers = 1_024;
    public const int MaxTitleLength = 100;
    public const int MaxFrameBytes = 16 * 1024;
    public const int DefaultHistoryPage = 50;
    public const int MaxHistoryPage = 100;
    public const int DefaultConversationPage = 20;
    public const int MaxConversationPage = 100;
    public const int DefaultSyncPage = 100;
    public const int MaxSyncPage = 500;
    public static readonly TimeSpan TypingThrottle = TimeSpan.FromSeconds(2);
}
