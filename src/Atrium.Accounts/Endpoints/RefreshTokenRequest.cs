namespace Atrium.Accounts.Endpoints;

/// <summary>The body of <c>POST /api/v1/sessions/refresh</c> and <c>DELETE /api/v1/sessions</c>.</summary>
public sealed record RefreshTokenRequest(string RefreshToken);
