namespace Atrium.Accounts.Data;

/// <summary>An <c>accounts_refresh_tokens</c> row with its user's name, as read when the token is presented.</summary>
internal sealed record RefreshTokenRow(long Id, long UserId, long FamilyId, long ExpiresAt, long? RevokedAt, long? ReplacedBy, string Username);
