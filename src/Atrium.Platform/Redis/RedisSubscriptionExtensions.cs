using Atrium.Platform.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Atrium.Platform.Redis;

public static class RedisSubscriptionExtensions
{
    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> (a singleton, which the caller may also register itself) to its
    /// channel for as long as the node runs, supervised (<see cref="RedisChannelSubscriber"/>). Only for the cluster
    /// shape: call it when <see cref="RedisConfiguration.HasRedis"/>.
    /// </summary>
    public static IServiceCollection AddRedisSubscription<THandler>(this IServiceCollection services)
        where THandler : class, IRedisChannelHandler
    {
        services.AddSupervisedServices();
        services.TryAddSingleton<THandler>();

        // AddSingleton, not AddHostedService: that dedupes by implementation type, and every subscription is a RedisChannelSubscriber.
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<RedisChannelSubscriber>(sp, sp.GetRequiredService<THandler>()));
        return services;
    }
}
