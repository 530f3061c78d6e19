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

    /// <summary>Closes what was opened, quietly: at shutdown the broker may be gone already.</summary>
    public static async Task CloseAllAsync(List<IChannel> channels)
    {
        foreach (var channel in channels)
        {
            try
            {
                await channel.CloseAsync();
            }
            catch (Exception)
            {
                // Unacknowledged deliveries go back to their queue when the channel goes, whatever the reason.
            }

            await channel.DisposeAsync();
        }

        channels.Clear();
    }
}
