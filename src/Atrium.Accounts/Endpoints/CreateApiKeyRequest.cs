namespace Atrium.Accounts.Endpoints;

/// <summary>The body of <c>POST /api/v1/api-keys</c>.</summary>
/// <param name="Name">What the key is for: 1–64 characters, no control characters.</param>
public sealed record CreateApiKeyRequest(string Name);
