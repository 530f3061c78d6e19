using Atrium.Platform.Hosting;
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
    ServiceSupervisor supervisor,
    ILogger logger) : BackgroundService
{
    private readonly List<IChannel> _channels = [];
    private readonly WorkSignal _recovered = new();

    protected RabbitMqTopology Topology => topology;

    protected IOptions<MessagingOptions> Messaging => messaging;

    protected TimeProvider Time => time;

    /// <summary>The name the supervisor reports this service under.</summary>
    protected abstract string ServiceName { get; }

    protected abstract Task OpenChannelsAsync(IConnection amqp, List<IChannel> channels, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await supervisor.RunAsync(ServiceName, ConsumeAsync, stoppingToken, Backoff.UpTo(messaging.Value.RetryBaseDelay, messaging.Value.RetryMaxDelay));
        await RabbitMqDeliveries.CloseAllAsync(_channels);
    }

    private async Task ConsumeAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        IConnection? watched = null;
        try
        {
            while (true)
            {
                var amqp = await connection.GetAsync(stoppingToken);
                if (!ReferenceEquals(watched, amqp))
                {
                    amqp.RecoverySucceededAsync += OnRecoveredAsync;
                    watched = amqp;
                }

                await topology.EnsureDeclaredAsync(amqp, stoppingToken);
                await OpenChannelsAsync(amqp, _channels, stoppingToken);
                run.Healthy();

                // Consume until shutdown, or until the connection came back from an outage: then start over.
                await _recovered.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                LogReopening(GetType().Name);
                topology.Forget();
                await RabbitMqDeliveries.CloseAllAsync(_channels);
            }
        }
        catch
        {
            await RabbitMqDeliveries.CloseAllAsync(_channels); // the supervisor opens fresh ones after its backoff
            if (watched is not null)
            {
                watched.RecoverySucceededAsync -= OnRecoveredAsync; // the next run subscribes again
            }

            throw;
        }
    }

    // Raised on the client's recovery task: only note it; the service loop does the work.
    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        _recovered.Notify();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: the RabbitMQ connection recovered; consuming on fresh channels")]
    private partial void LogReopening(string service);
}
