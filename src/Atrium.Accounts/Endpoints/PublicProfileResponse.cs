namespace Atrium.Accounts.Endpoints;

/// <summary>What anyone may see of a user.</summary>
public sealed record PublicProfileResponse(string Username, string DisplayName, DateTimeOffset CreatedAt);
