namespace Atrium.Accounts;

/// <summary>Settings of accounts, tokens and API keys (<c>Accounts</c> section).</summary>
public sealed class AccountsOptions
{
    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations of new password hashes (OWASP's figure: 210,000). Raising it upgrades
    /// each user's hash at their next sign-in; tests lower it for speed.
    /// </summary>
    public int PasswordIterations { get; set; } = 210_000;

    /// <summary>How long an access token (JWT) is accepted; it cannot be revoked before then.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token is accepted; each refresh issues a new one with a fresh lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new signing key is made when the newest is this old; the older one is retired an access-token lifetime later.</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a node re-reads the signing keys (it also does at once for a token signed by a key it does not know).</summary>
    public TimeSpan SigningKeyRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tolerance for clocks of different nodes when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed sign-ins allowed per username, and per client address, within <see cref="LoginFailureWindow"/>.</summary>
    public int LoginFailuresPerUsername { get; set; } = 10;

    public int LoginFailuresPerClient { get; set; } = 30;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Accounts created per client address per hour (token bucket), and the burst allowed.</summary>
    public int RegistrationsPerHour { get; set; } = 60;

    public int RegistrationBurst { get; set; } = 20;

    /// <summary>Public profile reads per client per minute, and the burst allowed.</summary>
    public int ProfileReadsPerMinute { get; set; } = 600;

    public int ProfileReadsBurst { get; set; } = 100;

    /// <summary>API keys one user may hold at once.</summary>
    public int MaxApiKeysPerUser { get; set; } = 20;

    /// <summary>
    /// How long a node keeps a known API key in its cache. Deleting a key evicts it on the node that
    /// deleted it (and from Redis); other nodes may accept it for up to this long.
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
