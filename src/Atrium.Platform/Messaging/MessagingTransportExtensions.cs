using Atrium.Platform.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Messaging;

public static class MessagingTransportExtensions
{
    /// <summary>
    /// The transport, consumers and dead letters of the shape the configuration picks: RabbitMQ when
    /// <c>ConnectionStrings:RabbitMQ</c> is set, the embedded queue table otherwise (never both).
    /// </summary>
    public static IServiceCollection AddMessagingTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<FailPoints>(); // off unless Atrium:FailPoints arms some (a testing aid)
        services.AddSupervisedServices();
        var rabbitMq = configuration.GetConnectionString("RabbitMQ");
        if (string.IsNullOrWhiteSpace(rabbitMq))
        {
            services.AddSingleton<LocalQueueWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<LocalQueueWorker>());
            services.AddSingleton<IEventTransport, LocalQueueTransport>();
            services.AddSingleton<IDeadLetters, LocalDeadLetters>();
            return services;
        }

        services.Configure<RabbitMqOptions>(configuration.GetSection("Atrium:RabbitMQ"));
        services.AddSingleton(sp => new RabbitMqConnection(rabbitMq, sp.GetRequiredService<IOptions<RabbitMqOptions>>()));
        services.AddSingleton<RabbitMqTopology>();
        services.AddSingleton<IEventTransport, RabbitMqTransport>();
        services.AddSingleton<IDeadLetters, RabbitMqDeadLetters>();
        services.AddHostedService<RabbitMqConsumerHost>();
        services.AddHostedService<RabbitMqDeadLetterMover>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: ["ready"]);
        return services;
    }
}
