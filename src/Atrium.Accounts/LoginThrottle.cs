using System.Threading.RateLimiting;
using Atrium.Platform.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.Accounts;

/// <summary>
/// Limits failed sign-ins per username and per client address (token buckets of
/// <see cref="AccountsOptions.LoginFailuresPerUsername"/> and <see cref="AccountsOptions.LoginFailuresPerClient"/>,
/// refilled evenly over <see cref="AccountsOptions.LoginFailureWindow"/>). A request-level rate limiter
/// cannot do this: the username is in the body, and only failures count. Every attempt first asks
/// <see cref="CheckAsync"/> (no bucket is spent); each failure then takes one token from both buckets. When
/// either is empty the attempt is refused before the password is looked at, for known and unknown
/// usernames alike.
/// <para>
/// The buckets live in this process, and in the cluster also in Redis (Platform's shared token buckets), so
/// failures on every node draw on one budget. A Redis bucket cannot be read without spending it, so the failure
/// that finds it empty sets a block key (<c>atrium:accounts:login-block:{kind}:{key}</c>) for one refill interval,
/// which every node's <see cref="CheckAsync"/> reads: across nodes a username gets at most one failure more than
/// the limit before it is refused everywhere. While Redis is unreachable the per-node buckets still hold (fail open
/// to them), each Redis call bounded by <see cref="RedisTimeout"/>.
/// </para>
/// </summary>
internal sealed partial class LoginThrottle : IDisposable
{
    public const string UsernamePolicy = "accounts-login-username";
    public const string ClientPolicy = "accounts-login-client";
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(250);

    private readonly PartitionedRateLimiter<string> _perUsername;
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string>? _sharedPerUsername;
    private readonly PartitionedRateLimiter<string>? _sharedPerClient;
    private readonly IConnectionMultiplexer? _redis;
    private readonly TimeSpan _usernameRefill;
    private readonly TimeSpan _clientRefill;
    private readonly ILogger<LoginThrottle> _logger;

    public LoginThrottle(IOptions<AccountsOptions> options, IServiceProvider services, ILogger<LoginThrottle> logger)
    {
        var settings = options.Value;
        var byUsername = Bucket(settings.LoginFailuresPerUsername, settings.LoginFailureWindow);
        var byClient = Bucket(settings.LoginFailuresPerClient, settings.LoginFailureWindow);
        _usernameRefill = byUsername.ReplenishmentPeriod;
        _clientRefill = byClient.ReplenishmentPeriod;
        _perUsername = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => byUsername));
        _perClient = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => byClient));
        _sharedPerUsername = SharedTokenBuckets.Create(services, UsernamePolicy, byUsername);
        _sharedPerClient = SharedTokenBuckets.Create(services, ClientPolicy, byClient);
        _redis = _sharedPerUsername is null ? null : services.GetService<IConnectionMultiplexer>();
        _logger = logger;
    }

    /// <summary>Null when a sign-in for <paramref name="username"/> from <paramref name="client"/> may be tried, else how long until it may.</summary>
    public async ValueTask<TimeSpan?> CheckAsync(string username, string client, CancellationToken cancellationToken)
    {
        var local = Longest(Blocked(_perUsername, username), Blocked(_perClient, client));
        if (local is not null || _redis is null)
        {
            return local;
        }

        try
        {
            var database = _redis.GetDatabase();
            var byUsername = database.KeyTimeToLiveAsync(BlockKey("username", username));
            var byClient = database.KeyTimeToLiveAsync(BlockKey("client", client));
            await Task.WhenAll(byUsername, byClient).WaitAsync(RedisTimeout, cancellationToken);
            return Longest(Positive(await byUsername), Positive(await byClient));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSharedUnavailable(_logger, ex);
            return null;
        }
    }

    /// <summary>Charges a failed sign-in to both buckets here and, in the cluster, in Redis.</summary>
    public async ValueTask RecordFailureAsync(string username, string client, CancellationToken cancellationToken)
    {
        _perUsername.AttemptAcquire(username).Dispose();
        _perClient.AttemptAcquire(client).Dispose();
        await ChargeSharedAsync(_sharedPerUsername, "username", username, _usernameRefill, cancellationToken);
        await ChargeSharedAsync(_sharedPerClient, "client", client, _clientRefill, cancellationToken);
    }

    public void Dispose()
    {
        _perUsername.Dispose();
        _perClient.Dispose();
        _sharedPerUsername?.Dispose();
        _sharedPerClient?.Dispose();
    }

    private async Task ChargeSharedAsync(
        PartitionedRateLimiter<string>? shared, string kind, string key, TimeSpan refill, CancellationToken cancellationToken)
    {
        if (shared is null || _redis is null)
        {
            return;
        }

        using var lease = await shared.AcquireAsync(key, 1, cancellationToken); // fails open (allowed) while Redis is away
        if (lease.IsAcquired)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().StringSetAsync(BlockKey(kind, key), 1, refill).WaitAsync(RedisTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSharedUnavailable(_logger, ex);
        }
    }

    private static RedisKey BlockKey(string kind, string key) => $"atrium:accounts:login-block:{kind}:{key}";

    private static TimeSpan? Positive(TimeSpan? ttl) => ttl > TimeSpan.Zero ? ttl : null;

    private static TimeSpan? Longest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : TimeSpan.FromTicks(Math.Max(a.Value.Ticks, b.Value.Ticks));

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

    private static TokenBucketRateLimiterOptions Bucket(int failures, TimeSpan window)
    {
        var limit = Math.Max(1, failures);
        var refill = window / limit;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill > TimeSpan.Zero ? refill : TimeSpan.FromMilliseconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accounts: the cluster-wide sign-in limit is unavailable (Redis); this node's own limit still holds")]
    private static partial void LogSharedUnavailable(ILogger logger, Exception exception);
}
