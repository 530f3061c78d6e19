namespace Atrium.Accounts.Endpoints;

/// <summary>
/// A session's tokens. Send <c>accessToken</c> as <c>Authorization: Bearer …</c> until <c>expiresAt</c>;
/// then trade <c>refreshToken</c> for new tokens at <c>POST /api/v1/sessions/refresh</c> (each refresh token
/// works once) before <c>refreshExpiresAt</c>.
/// </summary>
public sealed record SessionResponse(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);
