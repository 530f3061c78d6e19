using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// The broker objects Atrium uses, declared idempotently before the first publish or consume:
/// <list type="bullet">
/// <item>topic exchange <c>atrium.events</c>; the routing key of a message is its event type;</item>
/// <item>per consumer a quorum queue <c>atrium.{consumer}</c> bound by its event type, with a delivery limit,
/// at-least-once dead-lettering (which needs <c>x-overflow=reject-publish</c>) into <c>atrium.dead-letters</c>
/// with the consumer name as routing key;</item>
/// <item>fanout exchange <c>atrium.dead-letters</c> and the quorum queue of the same name behind it.</item>
/// </list>
/// </summary>
internal sealed class RabbitMqTopology(ConsumerCatalog catalog, IOptions<MessagingOptions> options)
{
    public const string Exchange = "atrium.events";
    public const string DeadLetterExchange = "atrium.dead-letters";
    public const string DeadLetterQueue = "atrium.dead-letters";
    private const string QueuePrefix = "atrium.";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _declared;

    public static string QueueFor(string consumer) => QueuePrefix + consumer;

    /// <summary>
    /// Declares again on the next <see cref="EnsureDeclaredAsync"/>: after a connection recovery the broker may be
    /// a fresh one (the client's own topology recovery is off, see <see cref="RabbitMqConnection"/>).
    /// </summary>
    public void Forget() => Volatile.Write(ref _declared, false);

    public static string? ConsumerOf(string queue) =>
        queue.StartsWith(QueuePrefix, StringComparison.Ordinal) ? queue[QueuePrefix.Length..] : null;

    /// <summary>
    /// Redeliveries a queue allows. A quorum queue dead-letters a message when it is returned with a
    /// delivery count above the limit, i.e. on the (limit + 1)th failed delivery: MaxAttempts − 1 gives
    /// MaxAttempts attempts, the same count as the embedded shape.
    /// </summary>
    public int DeliveryLimit => Math.Max(0, options.Value.MaxAttempts - 1);

    public async Task EnsureDeclaredAsync(IConnection connection, CancellationToken cancellationToken)
    {
        if (_declared)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_declared)
            {
                return;
            }

            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(
                DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" },
                cancellationToken: cancellationToken);
            await channel.QueueBindAsync(DeadLetterQueue, DeadLetterExchange, routingKey: "", cancellationToken: cancellationToken);

            foreach (var consumer in catalog.All)
            {
                var queue = QueueFor(consumer.Name);
                await channel.QueueDeclareAsync(
                    queue, durable: true, exclusive: false, autoDelete: false,
                    arguments: new Dictionary<string, object?>
                    {
                        ["x-queue-type"] = "quorum",
                        ["x-delivery-limit"] = DeliveryLimit,
                        ["x-dead-letter-exchange"] = DeadLetterExchange,
                        ["x-dead-letter-routing-key"] = consumer.Name,
                        ["x-dead-letter-strategy"] = "at-least-once",
                        ["x-overflow"] = "reject-publish",
                    },
                    cancellationToken: cancellationToken);
                await channel.QueueBindAsync(queue, Exchange, consumer.EventType, cancellationToken: cancellationToken);
            }

            await channel.CloseAsync(cancellationToken);
            _declared = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
