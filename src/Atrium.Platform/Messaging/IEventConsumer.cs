namespace Atrium.Platform.Messaging;

/// <summary>
/// Consumes one event type. <see cref="HandleAsync"/> runs inside a transaction on the primary that
/// also records the event id in the inbox, so database effects written through
/// <see cref="EventContext.Transaction"/> apply exactly once even when the event is delivered twice.
/// Throwing rolls everything back and schedules a retry with backoff; after the consumer's attempt
/// limit the event is dead-lettered.
/// </summary>
public interface IEventConsumer<in TEvent>
    where TEvent : IEvent
{
    Task HandleAsync(TEvent message, EventContext context, CancellationToken cancellationToken);
}
