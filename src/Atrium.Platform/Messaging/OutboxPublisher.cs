using System.Data.Common;
using System.Text.Json;
using Atrium.Platform.Ids;
using Dapper;

namespace Atrium.Platform.Messaging;

internal sealed class OutboxPublisher(SnowflakeIds ids, TimeProvider time, OutboxRelay relay) : IEventPublisher
{
    public async Task<long> PublishAsync<TEvent>(TEvent message, DbTransaction transaction, CancellationToken cancellationToken)
        where TEvent : IEvent
    {
        var id = ids.Next();
        await PublishAsync(message, id, transaction, cancellationToken);
        return id;
    }

    public async Task PublishAsync<TEvent>(TEvent message, long eventId, DbTransaction transaction, CancellationToken cancellationToken)
        where TEvent : IEvent
    {
        // ON CONFLICT: a retried event (same id) whose first commit landed is still in the outbox; nothing to add.
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_outbox (id, type, payload, occurred_at) VALUES (@id, @type, @payload, @occurredAt)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                id = eventId,
                type = TEvent.EventType,
                payload = JsonSerializer.Serialize(message, EventJson.Options),
                occurredAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken));
        relay.Wake(); // the relay may run before the commit; it then finds the row on its next poll
    }
}
