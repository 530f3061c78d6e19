using System.Globalization;
using Atrium.Platform.Web;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// Issues access tokens: JWTs signed with HS256 by the newest key of the <see cref="SigningKeyRing"/>,
/// carrying <c>sub</c> (the user id) and <c>name</c> (the username), valid for
/// <see cref="AccountsOptions.AccessTokenLifetime"/>.
/// </summary>
internal sealed class AccessTokens(SigningKeyRing ring, TimeProvider time, IOptions<AccountsOptions> options)
{
    public const string Issuer = "atrium";
    public const string Audience = "atrium";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(long userId, string username, CancellationToken cancellationToken)
    {
        var key = await ring.GetSigningKeyAsync(cancellationToken);
        // JWT times are whole seconds: cut them here, so expiresAt in the answer is what the token says.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = now + options.Value.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [CurrentUser.IdClaim] = userId.ToString(CultureInfo.InvariantCulture),
                [CurrentUser.NameClaim] = username,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        return (token, expiresAt);
    }
}
