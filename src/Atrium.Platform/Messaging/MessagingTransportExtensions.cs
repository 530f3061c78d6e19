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
    /// <c>ConnectionStrings:RabbitMQ</c> is set (one AMQP URI, or a cluster's nodes comma-separated: <see cref="RabbitMqBrokers"/>), the embedded queue table otherwise (never both).
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
        var brokers = RabbitMqBrokers.Parse(rabbitMq); // a malformed list fails the start, not the first publish
        services.AddSingleton(sp => new RabbitMqConnection(brokers, sp.GetRequiredService<IOptions<RabbitMqOptions>>()));
        services.AddSingleton<RabbitMqTopology>();
        services.AddSingleton<IEventTransport, RabbitMqTransport>();
        services.AddSingleton<IDeadLetters, RabbitMqDeadLetters>();
        services.AddHostedService<RabbitMqConsumerHost>();
        services.AddHostedService<RabbitMqDeadLetterMover>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: ["ready"]);
        return services;
    }
}
