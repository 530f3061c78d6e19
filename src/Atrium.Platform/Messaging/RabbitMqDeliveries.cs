using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Atrium.Platform.Messaging;

/// <summary>Opens a consuming channel on a queue: prefetch, manual acks, one handler per delivery.</summary>
internal static class RabbitMqDeliveries
{
    public static async Task<IChannel> ConsumeAsync(
        IConnection connection,
        string queue,
        ushort prefetch,
        Func<IChannel, BasicDeliverEventArgs, Task> onDelivery,
        CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => onDelivery(channel, delivery);
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// How long settling a delivery (ack, nack, reject) or closing a channel may take. A channel caught in the
    /// client's connection recovery can leave such a call waiting with no end; past this the message is left to the
    /// broker, which redelivers it (and the inbox skips it), and the consumer goes on.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Closes what was opened, quietly and within <see cref="CallTimeout"/> each: at shutdown or after an outage the broker may be gone.</summary>
    public static async Task CloseAllAsync(List<IChannel> channels)
    {
        foreach (var channel in channels)
        {
            using var timeout = new CancellationTokenSource(CallTimeout);
            try
            {
                await channel.CloseAsync(timeout.Token);
            }
            catch (Exception)
            {
                // Unacknowledged deliveries go back to their queue when the channel goes, whatever the reason.
            }

            try
            {
                await channel.DisposeAsync().AsTask().WaitAsync(CallTimeout, CancellationToken.None);
            }
            catch (Exception)
            {
                // A channel that will not even abort is left behind rather than hold up the consumers' restart.
            }
        }

        channels.Clear();
    }
}
