namespace Atrium.Platform.Users;

/// <summary>What other modules may know of a user: the id, the canonical username and the display name.</summary>
public sealed record UserSummary(long Id, string Username, string DisplayName);
