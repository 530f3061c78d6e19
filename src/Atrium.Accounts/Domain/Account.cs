namespace Atrium.Accounts.Domain;

/// <summary>A user as the rest of the module sees one (never with the password hash).</summary>
internal sealed record Account(long Id, string Username, string DisplayName, DateTimeOffset CreatedAt);
