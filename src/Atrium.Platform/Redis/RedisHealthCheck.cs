using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// Redis is an accelerator, not a dependency the site needs: without it the cache serves from L1 and the
/// database, rate limits fail open and pins fall back to the primary. So an unreachable Redis reports
/// <see cref="HealthStatus.Degraded"/>, which keeps <c>/health</c> at 200 and the node in the load balancer.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Degraded("Redis is not connected: serving from L1 and the database.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answers in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("Redis does not answer: serving from L1 and the database.", ex);
        }
    }
}
