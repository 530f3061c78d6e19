namespace Atrium.Accounts.Endpoints;

/// <summary>The caller's API keys, newest first.</summary>
public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Items);
