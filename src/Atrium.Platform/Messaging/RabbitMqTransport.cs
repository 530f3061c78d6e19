using Atrium.Platform.Resilience;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// The distributed shape's transport: publishes each envelope to the <c>atrium.events</c> exchange
/// (routing key = event type, persistent, message id = event id) on a channel with publisher confirms,
/// and returns only when the broker confirmed every message of the batch. A nack, a lost connection or
/// a confirm that does not come in time throws: the relay keeps the outbox rows and sends them again.
/// Every send runs through <see cref="DependencyPipelines.RabbitMq"/>: retried with backoff and jitter (safe: a
/// batch published again is deduplicated by the consumers' inboxes, keyed by event id), a circuit breaker (while
/// open, the relay fails at once and backs off instead of hammering a dead broker; the outbox holds the events), and
/// the confirm timeout (<see cref="RabbitMqOptions.ConfirmTimeout"/>) on each attempt.
/// </summary>
internal sealed class RabbitMqTransport(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    DependencyPipelines pipelines,
    IOptions<RabbitMqOptions> options) : IEventTransport, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task SendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await pipelines.RabbitMq.ExecuteAsync(static (state, ct) => new ValueTask(state.Item1.SendOnceAsync(state.batch, ct)), (this, batch), cancellationToken);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            throw new TimeoutException($"RabbitMQ did not confirm {batch.Count} messages within {options.Value.ConfirmTimeout}.", ex);
        }
    }

    /// <summary>One attempt; <paramref name="cancellationToken"/> carries the pipeline's confirm timeout.</summary>
    private async Task SendOnceAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await ChannelAsync(cancellationToken);
            var confirms = new List<Task>(batch.Count);
            foreach (var envelope in batch)
            {
                confirms.Add(channel.BasicPublishAsync(
                    RabbitMqTopology.Exchange, envelope.Type, mandatory: false,
                    RabbitMqMessage.Properties(envelope), RabbitMqMessage.Body(envelope), cancellationToken).AsTask());
            }

            try
            {
                await Task.WhenAll(confirms);
            }
            catch (OperationCanceledException)
            {
                await DropChannelAsync(); // unconfirmed publishes may still be in flight on it: start the next attempt clean
                throw;
            }
        }
        catch (Exception) when (_channel is { IsOpen: false })
        {
            await DropChannelAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropChannelAsync();
        _gate.Dispose();
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        var amqp = await connection.GetAsync(cancellationToken);
        await topology.EnsureDeclaredAsync(amqp, cancellationToken); // no publish before the queues exist
        if (_channel is { IsOpen: false })
        {
            await DropChannelAsync();
        }

        return _channel ??= await connection.CreateConfirmingChannelAsync(cancellationToken);
    }

    private async Task DropChannelAsync()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            try
            {
                await channel.DisposeAsync();
            }
            catch (Exception)
            {
                // A channel of a dead connection: nothing to release.
            }
        }
    }
}
