namespace Atrium.Platform.Messaging;

/// <summary>
/// Carries events from the outbox to the consumers' queues. <see cref="SendAsync"/> returns only when
/// the transport has durably accepted every envelope (for RabbitMQ: publisher confirms), because the
/// relay deletes the outbox rows right after. Sending the same envelope twice must be harmless:
/// consumers deduplicate by event id.
/// </summary>
public interface IEventTransport
{
    Task SendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken);
}
