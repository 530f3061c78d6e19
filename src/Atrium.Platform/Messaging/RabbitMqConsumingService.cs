using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Connects, declares the topology and opens consuming channels, retrying with backoff while the broker
/// is unreachable; after that the connection's automatic recovery keeps the consumers alive across outages.
/// Closes its channels at shutdown (unacknowledged deliveries go back to their queues).
/// </summary>
internal abstract partial class RabbitMqConsumingService(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    IOptions<MessagingOptions> messaging,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private readonly List<IChannel> _channels = [];

    protected RabbitMqTopology Topology => topology;

    protected IOptions<MessagingOptions> Messaging => messaging;

    protected TimeProvider Time => time;

    protected abstract Task OpenChannelsAsync(IConnection amqp, List<IChannel> channels, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                var amqp = await connection.GetAsync(stoppingToken);
                await topology.EnsureDeclaredAsync(amqp, stoppingToken);
                await OpenChannelsAsync(amqp, _channels, stoppingToken);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await RabbitMqDeliveries.CloseAllAsync(_channels);
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogStartFailed(ex, GetType().Name, failures);
                await RabbitMqDeliveries.CloseAllAsync(_channels);
                var delay = RetryBackoff.Delay(failures, messaging.Value.RetryBaseDelay, messaging.Value.RetryMaxDelay, Random.Shared);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }

        await RabbitMqDeliveries.CloseAllAsync(_channels);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} could not start consuming from RabbitMQ ({Failures} in a row); backing off")]
    private partial void LogStartFailed(Exception exception, string service, int failures);
}
