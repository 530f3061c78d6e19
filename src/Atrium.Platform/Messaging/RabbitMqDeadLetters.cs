using Atrium.Platform.Data;
using Dapper;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Dead letters in the distributed shape: listed from <c>platform_dead_letters</c> (filled by
/// <see cref="RabbitMqDeadLetterMover"/>); a replay publishes the event straight to its consumer's queue
/// (default exchange, routing key = queue name, mandatory, confirmed) with a fresh delivery count, and
/// deletes the row only after the broker confirmed.
/// </summary>
internal sealed class RabbitMqDeadLetters(
    IDatabase database,
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    IOptions<RabbitMqOptions> options) : IDeadLetters
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(long after, int limit, CancellationToken cancellationToken) =>
        DeadLetterTable.ListAsync(database, after, limit, cancellationToken);

    public async Task<bool> ReplayAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenPrimaryAsync(cancellationToken);
        if (await DeadLetterTable.FindAsync(db, id, cancellationToken) is not { } letter)
        {
            return false;
        }

        var amqp = await connection.GetAsync(cancellationToken);
        await topology.EnsureDeclaredAsync(amqp, cancellationToken);
        await using (var channel = await connection.CreateConfirmingChannelAsync(cancellationToken))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.ConfirmTimeout);
            var envelope = new EventEnvelope(letter.EventId, letter.Type, letter.Payload, letter.OccurredAt);

            // Mandatory: a queue that does not exist (a consumer removed since) fails the replay instead of dropping the event.
            await channel.BasicPublishAsync(
                exchange: "", RabbitMqTopology.QueueFor(letter.Consumer), mandatory: true,
                RabbitMqMessage.Properties(envelope), RabbitMqMessage.Body(envelope), timeout.Token);
            await channel.CloseAsync(cancellationToken);
        }

        await db.ExecuteAsync(new CommandDefinition(
            "DELETE FROM platform_dead_letters WHERE id = @id", new { id }, cancellationToken: CancellationToken.None));
        return true;
    }
}
