using System.Threading.RateLimiting;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Atrium.Platform.RateLimiting;

/// <summary>
/// Registered only when Redis is configured: token buckets kept in Redis (RedisRateLimiting's Lua script), so a
/// client's budget is one budget across every node. Keys: <c>atrium:rl:{policy}:{client}</c>.
/// </summary>
internal sealed class DistributedRateLimits(
    IConnectionMultiplexer redis, DependencyPipelines pipelines, TimeProvider time, ILogger<FailOpenRateLimiter> logger)
{
    // The token-bucket script takes tokens: not idempotent, so never retried (a retry after a lost reply would take twice).
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("ratelimit", CallKind.Once);

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
            _pipeline,
            bucket.ReplenishmentPeriod / bucket.TokensPerPeriod,
            time,
            logger));
}
