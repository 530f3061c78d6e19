using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> to <typeparamref name="TEvent"/> as the consumer named
    /// <paramref name="consumerName"/> (its queue and inbox key; keep it stable). The handler is resolved
    /// from a fresh scope per delivery.
    /// </summary>
    public static IServiceCollection AddEventConsumer<TEvent, THandler>(this IServiceCollection services, string consumerName)
        where TEvent : IEvent
        where THandler : class, IEventConsumer<TEvent>
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new ConsumerRegistration(consumerName, TEvent.EventType, static (provider, envelope, context, ct) =>
        {
            var message = JsonSerializer.Deserialize<TEvent>(envelope.Payload, EventJson.Options)
                ?? throw new JsonException($"Event {envelope.Id} of type {envelope.Type} has an empty payload.");
            return provider.GetRequiredService<THandler>().HandleAsync(message, context, ct);
        }));
        return services;
    }
}
