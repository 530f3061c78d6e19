namespace Atrium.Accounts;

/// <summary>What a sign-in or refresh hands out: a short-lived access token and the refresh token that renews it.</summary>
internal sealed record SessionTokens(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);
