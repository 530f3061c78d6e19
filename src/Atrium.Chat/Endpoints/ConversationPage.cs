using Atrium.Chat.Protocol;

namespace Atrium.Chat.Endpoints;

/// <summary>A page of the caller's conversations, most recent activity first; <c>NextCursor</c> null on the last page.</summary>
public sealed record ConversationPage(IReadOnlyList<ConversationResponse> Items, string? NextCursor);
