using Atrium.Accounts.Authentication;
using Atrium.Accounts.Data;
using Atrium.Accounts.Domain;
using Atrium.Platform.Ids;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts;

/// <summary>
/// Sign-in, refresh and sign-out. A session is a family of refresh tokens (one per rotation) plus the
/// short-lived access tokens issued alongside; only the refresh tokens are stored, so only they can be
/// revoked.
/// </summary>
internal sealed partial class Sessions(
    UserStore users,
    RefreshTokenStore refreshTokens,
    PasswordHashing passwords,
    LoginThrottle throttle,
    AccessTokens accessTokens,
    SnowflakeIds ids,
    TimeProvider time,
    AccountsMetrics metrics,
    IOptions<AccountsOptions> options,
    ILogger<Sessions> logger)
{
    public async Task<SignInResult> SignInAsync(string username, string password, string client, CancellationToken cancellationToken)
    {
        var name = UsernameRules.Normalize(username);
        if (await throttle.CheckAsync(name, client, cancellationToken) is { } retryAfter)
        {
            metrics.SignIns.Add(1, new KeyValuePair<string, object?>("outcome", "throttled"));
            return new SignInResult.Throttled(retryAfter);
        }

        // Unknown and known usernames take the same path and the same time: one PBKDF2 verification each.
        var user = UsernameRules.Validate(name) is null ? await users.FindByUsernameAsync(name, cancellationToken) : null;
        var verdict = PasswordVerificationResult.Failed;
        if (user is null)
        {
            passwords.VerifyNobody(password);
        }
        else
        {
            verdict = passwords.Verify(user.Username, user.PasswordHash, password);
        }

        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(name, client, cancellationToken);
            metrics.SignIns.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            return new SignInResult.Failed();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await users.UpgradePasswordHashAsync(user.Id, user.PasswordHash, passwords.Hash(user.Username, password), cancellationToken);
            LogRehashed(user.Id);
        }

        var refreshToken = SecretTokens.NewRefreshToken();
        var now = time.GetUtcNow();
        var refreshExpiresAt = Milliseconds(now + options.Value.RefreshTokenLifetime);
        var id = ids.Next();
        await refreshTokens.CreateAsync(
            id, user.Id, SecretTokens.Hash(refreshToken), now.ToUnixTimeMilliseconds(), refreshExpiresAt.ToUnixTimeMilliseconds(), cancellationToken);
        var (accessToken, expiresAt) = await accessTokens.IssueAsync(user.Id, user.Username, cancellationToken);
        metrics.SignIns.Add(1, new KeyValuePair<string, object?>("outcome", "succeeded"));
        return new SignInResult.SignedIn(new SessionTokens(accessToken, expiresAt, refreshToken, refreshExpiresAt));
    }

    /// <summary>Rotates <paramref name="refreshToken"/>: new access and refresh tokens, the old refresh token revoked.</summary>
    public async Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var next = SecretTokens.NewRefreshToken();
        var now = time.GetUtcNow();
        var expiresAt = Milliseconds(now + options.Value.RefreshTokenLifetime);
        var rotation = await refreshTokens.RotateAsync(
            SecretTokens.Hash(refreshToken), ids.Next(), SecretTokens.Hash(next), now.ToUnixTimeMilliseconds(), expiresAt.ToUnixTimeMilliseconds(),
            cancellationToken);
        metrics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", rotation.Status.ToString().ToLowerInvariant()));
        if (rotation.Status == RefreshStatus.Reused)
        {
            LogReuse(rotation.UserId, rotation.FamilyId);
        }

        if (rotation.Status != RefreshStatus.Rotated)
        {
            return new RefreshResult(rotation.Status, null);
        }

        var (accessToken, accessExpiresAt) = await accessTokens.IssueAsync(rotation.UserId, rotation.Username, cancellationToken);
        return new RefreshResult(RefreshStatus.Rotated, new SessionTokens(accessToken, accessExpiresAt, next, expiresAt));
    }

    /// <summary>Revokes the session <paramref name="refreshToken"/> belongs to; nothing when there is no such token.</summary>
    public async Task SignOutAsync(string refreshToken, CancellationToken cancellationToken) =>
        await refreshTokens.RevokeFamilyOfAsync(SecretTokens.Hash(refreshToken), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

    private static DateTimeOffset Milliseconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    [LoggerMessage(Level = LogLevel.Information, Message = "Password hash of user {UserId} upgraded to the current iteration count")]
    private partial void LogRehashed(long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reuse: a rotated token of user {UserId} was presented again; session family {FamilyId} revoked")]
    private partial void LogReuse(long userId, long familyId);
}
