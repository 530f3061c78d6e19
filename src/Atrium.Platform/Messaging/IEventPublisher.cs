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
}
