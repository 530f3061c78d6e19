namespace Atrium.Accounts.Endpoints;

/// <summary>An API key as listed to its owner (never the key itself). <c>lastUsedAt</c> is accurate to about a minute.</summary>
public sealed record ApiKeyResponse(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
