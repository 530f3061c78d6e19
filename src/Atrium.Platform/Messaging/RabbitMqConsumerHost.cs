using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Runs every registered consumer on its quorum queue, one channel each with a prefetch. A delivery is
/// applied with its inbox row in one transaction on the primary and acknowledged only after the commit
/// (a crash in between redelivers it, and the inbox skips it). A failure waits the retry backoff — without
/// holding up the deliveries behind it — and then returns the message (nack, requeue); the queue counts
/// deliveries and dead-letters the message after its delivery limit. The last allowed attempt stores its own
/// dead letter with the handler's error (what an operator needs) and acks; only if that store fails does the
/// broker's delivery limit dead-letter it (then with "exceeded delivery limit"). A message that is not an event
/// envelope at all is rejected without requeue, i.e. dead-lettered at once.
/// </summary>
internal sealed partial class RabbitMqConsumerHost(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    ConsumerCatalog catalog,
    ConsumerRunner runner,
    IDatabase database,
    IOptions<MessagingOptions> messaging,
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ServiceSupervisor supervisor,
    PlatformMetrics metrics,
    FailPoints failPoints,
    ILogger<RabbitMqConsumerHost> logger)
    : RabbitMqConsumingService(connection, topology, messaging, time, supervisor, logger)
{
    protected override string ServiceName => "platform.rabbitmq-consumers";

    private CancellationToken _stopping;

    protected override async Task OpenChannelsAsync(IConnection amqp, List<IChannel> channels, CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        foreach (var consumer in catalog.All)
        {
            channels.Add(await RabbitMqDeliveries.ConsumeAsync(
                amqp, RabbitMqTopology.QueueFor(consumer.Name), options.Value.Prefetch,
                (channel, delivery) => DeliverAsync(consumer, channel, delivery), stoppingToken));
        }
    }

    private async Task DeliverAsync(ConsumerRegistration consumer, IChannel channel, BasicDeliverEventArgs delivery)
    {
        var stopping = _stopping;
        var envelope = RabbitMqMessage.TryRead(delivery.BasicProperties, delivery.Body);
        try
        {
            if (envelope is null)
            {
                LogNotAnEvent(consumer.Name, delivery.BasicProperties.MessageId);
                using var rejectTimeout = SettleTimeout(stopping);
                await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, rejectTimeout.Token);
                return;
            }

            try
            {
                await using var db = await database.OpenPrimaryAsync(stopping);
                var fresh = await runner.ApplyAsync(consumer, envelope, db, alsoInTransaction: null, stopping);
                metrics.EventsConsumed.Add(1, new KeyValuePair<string, object?>("consumer", consumer.Name), new("duplicate", !fresh));
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                var attempt = RabbitMqMessage.DeliveryCount(delivery.BasicProperties) + 1;
                LogHandlerFailed(ex, consumer.Name, envelope.Id, attempt);
                if (attempt >= Messaging.Value.MaxAttempts && await TryDeadLetterAsync(consumer, envelope, attempt, ex, stopping))
                {
                    using var deadLetteredTimeout = SettleTimeout(CancellationToken.None);
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, deadLetteredTimeout.Token);
                    return;
                }

                var delay = RetryBackoff.Delay(
                    (int)Math.Min(attempt, int.MaxValue), Messaging.Value.RetryBaseDelay, Messaging.Value.RetryMaxDelay, Random.Shared);
                _ = ReturnLaterAsync(channel, delivery.DeliveryTag, delay, stopping); // the next deliveries go on meanwhile
                return;
            }

            failPoints.Hit(FailPoints.ConsumerAfterCommit); // testing aid: a crash after the commit, before the ack
            // Only now that the effects are committed.
            using var ackTimeout = SettleTimeout(CancellationToken.None);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ackTimeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // The channel died under us: the broker redelivers the message, the inbox absorbs a repeat.
            LogAckFailed(ex, consumer.Name, envelope?.Id);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the message goes back to the queue with the channel.
        }
    }

    private async Task<bool> TryDeadLetterAsync(
        ConsumerRegistration consumer, EventEnvelope envelope, long attempts, Exception error, CancellationToken stopping)
    {
        try
        {
            await using var db = await database.OpenPrimaryAsync(stopping);
            var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            if (await DeadLetterTable.InsertOnceAsync(
                db,
                new NewDeadLetter(consumer.Name, envelope.Id, envelope.Type, envelope.Payload, envelope.OccurredAt.ToUnixTimeMilliseconds(), attempts, error.ToString(), now),
                stopping))
            {
                metrics.EventsDeadLettered.Add(1, new KeyValuePair<string, object?>("consumer", consumer.Name));
                LogDeadLettered(consumer.Name, envelope.Id, attempts);
            }

            return true;
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            LogDeadLetterFailed(ex, consumer.Name, envelope.Id);
            return false;
        }
    }

    private async Task ReturnLaterAsync(IChannel channel, ulong deliveryTag, TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, Time, stopping);
            using var nackTimeout = SettleTimeout(stopping);
            await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, nackTimeout.Token);
        }
        catch (Exception)
        {
            // Stopping or the channel is gone: either way the broker returns the message to the queue.
        }
    }

    /// <summary>A settle (ack, nack, reject) never waits longer than <see cref="RabbitMqDeliveries.CallTimeout"/>: the broker redelivers what it did not hear of.</summary>
    private static CancellationTokenSource SettleTimeout(CancellationToken stopping)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(RabbitMqDeliveries.CallTimeout);
        return timeout;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} dead-lettered for consumer {Consumer} after {Attempts} attempts")]
    private partial void LogDeadLettered(string consumer, long eventId, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the dead letter of event {EventId} for consumer {Consumer}; the queue's delivery limit will")]
    private partial void LogDeadLetterFailed(Exception exception, string consumer, long eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} failed on event {EventId} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception exception, string consumer, long eventId, long attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer {Consumer} received message {MessageId}, which is not an Atrium event; dead-lettering it")]
    private partial void LogNotAnEvent(string consumer, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} could not settle event {EventId}; the broker will redeliver it")]
    private partial void LogAckFailed(Exception exception, string consumer, long? eventId);
}
