using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Atrium.Platform.RateLimiting;

/// <summary>
/// Registered only when Redis is configured: token buckets kept in Redis (RedisRateLimiting's Lua script), so a
/// client's budget is one budget across every node. Keys: <c>atrium:rl:{policy}:{client}</c>.
/// </summary>
internal sealed class DistributedRateLimits(IConnectionMultiplexer redis, TimeProvider time, ILogger<FailOpenRateLimiter> logger)
{
    public RateLimitPartition<string> TokenBucket(string policy, string client, TokenBucketRateLimiterOptions bucket) =>
        RateLimitPartition.Get(client, key => new FailOpenRateLimiter(
            new RedisTokenBucketRateLimiter<string>($"atrium:rl:{policy}:{key}", new RedisTokenBucketRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                TokenLimit = bucket.TokenLimit,
                TokensPerPeriod = bucket.TokensPerPeriod,
                ReplenishmentPeriod = bucket.ReplenishmentPeriod,
            }),
            redis,
            bucket.ReplenishmentPeriod / bucket.TokensPerPeriod,
            time,
            logger));
}
