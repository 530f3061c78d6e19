using Atrium.Accounts.Data;
using Microsoft.IdentityModel.Tokens;

namespace Atrium.Accounts.Authentication;

/// <summary>One HMAC-SHA256 key of the ring: its id (the token header's <c>kid</c>), age and retirement.</summary>
internal sealed record SigningKey(string Kid, long Generation, SymmetricSecurityKey Key, DateTimeOffset CreatedAt, DateTimeOffset? RetireAt)
{
    public static SigningKey From(SigningKeyRow row) => new(
        row.Kid,
        row.Generation,
        new SymmetricSecurityKey(Convert.FromBase64String(row.Secret)) { KeyId = row.Kid },
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
        row.RetireAt is { } retire ? DateTimeOffset.FromUnixTimeMilliseconds(retire) : null);

    /// <summary>True once tokens signed with this key are no longer accepted.</summary>
    public bool IsRetired(DateTimeOffset now) => RetireAt is { } retire && retire <= now;
}
