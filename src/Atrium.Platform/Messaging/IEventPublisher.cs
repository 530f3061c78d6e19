using System.Data.Common;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Publishes an event by writing it into the outbox inside the caller's transaction: the event exists
/// if and only if the caller's data change commits. The relay delivers it afterwards, at least once.
/// </summary>
public interface IEventPublisher
{
    Task<long> PublishAsync<TEvent>(TEvent message, DbTransaction transaction, CancellationToken cancellationToken)
        where TEvent : IEvent;

    /// <summary>
    /// Publishes with an event id the caller chose (from <c>SnowflakeIds</c>) and keeps across retries: a caller that
    /// retries a commit whose outcome it never heard publishes the same event again, which inserts nothing while the
    /// first copy is still in the outbox and is skipped by every consumer's inbox once it was relayed. So the event is
    /// applied once, not once per attempt.
    /// </summary>
    Task PublishAsync<TEvent>(TEvent message, long eventId, DbTransaction transaction, CancellationToken cancellationToken)
        where TEvent : IEvent;
}
