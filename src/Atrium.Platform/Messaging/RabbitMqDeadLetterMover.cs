using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Observability;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Moves what the quorum queues dead-lettered (queue <c>atrium.dead-letters</c>) into the
/// <c>platform_dead_letters</c> table, so the one <see cref="IDeadLetters"/> listing and replay serve both
/// shapes. Acknowledges only after the row is committed; a redelivered dead letter is not inserted twice.
/// </summary>
internal sealed partial class RabbitMqDeadLetterMover(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    IDatabase database,
    IOptions<MessagingOptions> messaging,
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ServiceSupervisor supervisor,
    PlatformMetrics metrics,
    ILogger<RabbitMqDeadLetterMover> logger)
    : RabbitMqConsumingService(connection, topology, messaging, time, supervisor, logger)
{
    protected override string ServiceName => "platform.rabbitmq-dead-letter-mover";

    private CancellationToken _stopping;

    protected override async Task OpenChannelsAsync(IConnection amqp, List<IChannel> channels, CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        channels.Add(await RabbitMqDeliveries.ConsumeAsync(
            amqp, RabbitMqTopology.DeadLetterQueue, options.Value.Prefetch, MoveAsync, stoppingToken));
    }

    private async Task MoveAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var stopping = _stopping;
        var properties = delivery.BasicProperties;
        var headers = properties.Headers;
        var consumer = RabbitMqTopology.ConsumerOf(RabbitMqMessage.Text(headers, "x-first-death-queue") ?? "") ?? delivery.RoutingKey;
        var reason = RabbitMqMessage.Text(headers, "x-first-death-reason");
        var envelope = RabbitMqMessage.TryRead(properties, delivery.Body);
        var attempts = reason == "delivery_limit"
            ? Topology.DeliveryLimit + 1
            : RabbitMqMessage.DeliveryCount(properties) + 1;
        var error = reason == "delivery_limit"
            ? "exceeded delivery limit"
            : $"dead-lettered by RabbitMQ ({reason ?? "unknown reason"})";
        try
        {
            await using (var db = await database.OpenPrimaryAsync(stopping))
            {
                await DeadLetterTable.InsertOnceAsync(db, new NewDeadLetter(
                    consumer,
                    envelope?.Id ?? 0,
                    envelope?.Type ?? properties.Type ?? "",
                    envelope?.Payload ?? System.Text.Encoding.UTF8.GetString(delivery.Body.Span),
                    (envelope?.OccurredAt ?? Time.GetUtcNow()).ToUnixTimeMilliseconds(),
                    attempts,
                    envelope is null ? error + "; not an Atrium event" : error,
                    Time.GetUtcNow().ToUnixTimeMilliseconds()), stopping);
            }

            metrics.EventsDeadLettered.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
            LogDeadLettered(consumer, envelope?.Id, attempts);
            using var ackTimeout = new CancellationTokenSource(RabbitMqDeliveries.CallTimeout);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ackTimeout.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the dead letter stays in its queue.
        }
        catch (Exception ex)
        {
            LogMoveFailed(ex, consumer, envelope?.Id);
            try
            {
                await Task.Delay(RetryBackoff.Delay(1, Messaging.Value.RetryBaseDelay, Messaging.Value.RetryMaxDelay, Random.Shared), Time, stopping);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, stopping);
            }
            catch (Exception)
            {
                // The channel went or we are stopping: the broker keeps the dead letter either way.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} dead-lettered for consumer {Consumer} after {Attempts} attempts")]
    private partial void LogDeadLettered(string consumer, long? eventId, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the dead letter of event {EventId} for consumer {Consumer}; it stays in RabbitMQ")]
    private partial void LogMoveFailed(Exception exception, string consumer, long? eventId);
}
