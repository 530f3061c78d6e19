using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts;

/// <summary>
/// Limits failed sign-ins per username and per client address (token buckets of
/// <see cref="AccountsOptions.LoginFailuresPerUsername"/> and <see cref="AccountsOptions.LoginFailuresPerClient"/>,
/// refilled evenly over <see cref="AccountsOptions.LoginFailureWindow"/>). A request-level rate limiter
/// cannot do this: the username is in the body, and only failures count. Every attempt first asks
/// <see cref="Check"/> (no bucket is spent); each failure then takes one token from both buckets. When
/// either is empty the attempt is refused before the password is looked at, for known and unknown
/// usernames alike. The limits are per node (in-process), like the embedded shape's other limiters.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perUsername;
    private readonly PartitionedRateLimiter<string> _perClient;

    public LoginThrottle(IOptions<AccountsOptions> options)
    {
        var settings = options.Value;
        _perUsername = Create(settings.LoginFailuresPerUsername, settings.LoginFailureWindow);
        _perClient = Create(settings.LoginFailuresPerClient, settings.LoginFailureWindow);
    }

    /// <summary>Null when a sign-in for <paramref name="username"/> from <paramref name="client"/> may be tried, else how long until it may.</summary>
    public TimeSpan? Check(string username, string client)
    {
        var byUsername = Blocked(_perUsername, username);
        var byClient = Blocked(_perClient, client);
        return byUsername is null ? byClient : byClient is null ? byUsername : TimeSpan.FromTicks(Math.Max(byUsername.Value.Ticks, byClient.Value.Ticks));
    }

    public void RecordFailure(string username, string client)
    {
        _perUsername.AttemptAcquire(username).Dispose();
        _perClient.AttemptAcquire(client).Dispose();
    }

    public void Dispose()
    {
        _perUsername.Dispose();
        _perClient.Dispose();
    }

    private static TimeSpan? Blocked(PartitionedRateLimiter<string> limiter, string key)
    {
        if (limiter.GetStatistics(key) is not { CurrentAvailablePermits: < 1 })
        {
            return null;
        }

        // Asking for a token the bucket does not have fails without spending anything, and says when one comes.
        using var probe = limiter.AttemptAcquire(key);
        if (probe.IsAcquired)
        {
            return null; // refilled in between; the probe spent that token, which only makes the limit a little stricter
        }

        return probe.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private static PartitionedRateLimiter<string> Create(int failures, TimeSpan window)
    {
        var limit = Math.Max(1, failures);
        var refill = window / limit;
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill > TimeSpan.Zero ? refill : TimeSpan.FromMilliseconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }
}
