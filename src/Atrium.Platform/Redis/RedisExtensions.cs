using Atrium.Platform.Caching;
using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.RateLimiting;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Redis when <c>ConnectionStrings:Redis</c> is set (DESIGN.md §1): one shared multiplexer, every call through
    /// the one shared Redis pipeline (<see cref="DependencyPipelines"/>: per-module bulkhead, breaker, timeout); HybridCache's L2; cross-node L1 invalidation over pub/sub; token buckets held in Redis;
    /// read-your-writes pins every node sees; a "ready" health check that reports Degraded, not Unhealthy.
    /// Without it, the embedded shape: in-process everything, and invalidation is a local remove.
    /// </summary>
    public static IHostApplicationBuilder AddAtriumRedis(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.RedisConnectionString();
        services.TryAddSingleton<CacheGenerations>();
        if (connectionString is null)
        {
            services.TryAddSingleton<ICacheInvalidator, LocalCacheInvalidator>();
            return builder;
        }

        var options = RedisConnection.Options(connectionString);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        // L2: Microsoft's Redis IDistributedCache on the shared multiplexer, wrapped so Redis can fail.
        services.AddSingleton<IDistributedCache>(sp => new ResilientDistributedCache(
            new RedisCache(Options.Create(new RedisCacheOptions
            {
                InstanceName = RedisCacheInvalidator.EntryPrefix,
                ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
            })),
            sp.GetRequiredService<DependencyPipelines>().Redis("cache", CallKind.Once),
            sp.GetRequiredService<PendingInvalidations>(),
            sp.GetRequiredService<ILogger<ResilientDistributedCache>>()));

        services.AddSingleton<CacheNode>();
        services.Replace(ServiceDescriptor.Singleton<ICacheInvalidator, RedisCacheInvalidator>());
        services.AddSupervisedServices();
        services.AddRedisSubscription<CacheInvalidationSubscriber>();
        services.AddSingleton<PendingInvalidations>();
        services.AddHostedService<CacheInvalidationRetrier>();
        services.AddSingleton<DistributedRateLimits>();
        services.Replace(ServiceDescriptor.Singleton<IWritePins, RedisWritePins>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }
}
