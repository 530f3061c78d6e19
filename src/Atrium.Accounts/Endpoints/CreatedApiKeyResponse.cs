namespace Atrium.Accounts.Endpoints;

/// <summary>
/// A new API key. <c>key</c> is shown this once (only its hash is stored): send it as <c>X-Api-Key</c>.
/// <c>prefix</c> (its first 12 characters) is what lists show to tell keys apart.
/// </summary>
public sealed record CreatedApiKeyResponse(string Id, string Name, string Key, string Prefix, DateTimeOffset CreatedAt);
