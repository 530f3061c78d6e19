using Atrium.Accounts.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts;

/// <summary>
/// Password hashes: ASP.NET Core Identity's V3 format (PBKDF2-HMAC-SHA512, 128-bit salt, the iteration
/// count stored in the hash) at <see cref="AccountsOptions.PasswordIterations"/>. A hash made with fewer
/// iterations verifies as "rehash needed", which sign-in uses to upgrade it. A dummy hash with the same
/// cost stands in for unknown users, so a wrong username takes as long as a wrong password.
/// </summary>
internal sealed class PasswordHashing
{
    private readonly PasswordHasher<string> _hasher;
    private readonly string _dummyHash;

    public PasswordHashing(IOptions<AccountsOptions> options)
    {
        _hasher = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordIterations,
        }));
        _dummyHash = _hasher.HashPassword("", SecretTokens.NewRefreshToken());
    }

    public string Hash(string username, string password) => _hasher.HashPassword(username, password);

    public PasswordVerificationResult Verify(string username, string hash, string password) =>
        _hasher.VerifyHashedPassword(username, hash, password);

    /// <summary>Spends the time a verification takes, for a user that does not exist; always fails.</summary>
    public void VerifyNobody(string password) => _hasher.VerifyHashedPassword("", _dummyHash, password);
}
