namespace Atrium.Chat.Domain;

/// <summary>The two kinds of conversation, as stored in <c>chat_conversations.kind</c> and sent to clients.</summary>
internal static class ConversationKind
{
    /// <summary>Two people; at most one per pair (<c>direct_key</c>); members cannot be added.</summary>
    public const string Direct = "direct";

    /// <summary>Up to <see cref="ChatLimits.MaxMembers"/> people, optional title; members can be added.</summary>
    public const string Group = "group";

    public static string DirectKey(long a, long b) => a < b ? $"{a}:{b}" : $"{b}:{a}";
}
