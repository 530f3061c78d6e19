namespace Atrium.Chat.Protocol;

/// <summary>A user as the chat shows them.</summary>
public sealed record UserRef(string Username, string DisplayName);
