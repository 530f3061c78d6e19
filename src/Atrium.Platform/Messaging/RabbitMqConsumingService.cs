using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Connects, declares the topology and opens consuming channels, retrying with backoff while the broker
/// is unreachable. After the connection's automatic recovery from an outage it declares the topology again, closes
/// its channels and consumes on fresh ones (the client's own topology and consumer recovery is off): RabbitMQ.Client
/// 7.2 can "recover" a consumer
/// whose <c>basic.consume</c> outlasted its continuation timeout (a quorum queue still electing its leader after
/// a broker restart) as a phantom that drops every delivery unacknowledged, wedging the queue for good
/// (rabbitmq-dotnet-client#1993; the faults suite's scenario 4 hit it). Closes its channels at shutdown
/// (unacknowledged deliveries go back to their queues).
/// </summary>
internal abstract partial class RabbitMqConsumingService(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    IOptions<MessagingOptions> messaging,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private readonly List<IChannel> _channels = [];
    private readonly WorkSignal _recovered = new();

    protected RabbitMqTopology Topology => topology;

    protected IOptions<MessagingOptions> Messaging => messaging;

    protected TimeProvider Time => time;

    protected abstract Task OpenChannelsAsync(IConnection amqp, List<IChannel> channels, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        IConnection? watched = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var amqp = await connection.GetAsync(stoppingToken);
                if (!ReferenceEquals(watched, amqp))
                {
                    amqp.RecoverySucceededAsync += OnRecoveredAsync;
                    watched = amqp;
                }

                await topology.EnsureDeclaredAsync(amqp, stoppingToken);
                await OpenChannelsAsync(amqp, _channels, stoppingToken);
                failures = 0;

                // Consume until shutdown, or until the connection came back from an outage: then start over.
                await _recovered.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                LogReopening(GetType().Name);
                topology.Forget();
                await RabbitMqDeliveries.CloseAllAsync(_channels);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
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
                    break;
                }
            }
        }

        await RabbitMqDeliveries.CloseAllAsync(_channels);
    }

    // Raised on the client's recovery task: only note it; the service loop does the work.
    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        _recovered.Notify();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} could not start consuming from RabbitMQ ({Failures} in a row); backing off")]
    private partial void LogStartFailed(Exception exception, string service, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: the RabbitMQ connection recovered; consuming on fresh channels")]
    private partial void LogReopening(string service);
}
