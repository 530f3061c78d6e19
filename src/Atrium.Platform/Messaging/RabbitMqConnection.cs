using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// The node's one AMQP connection, opened on first use (so a broker that is down at start-up delays
/// messaging, not the server). Automatic recovery reconnects it, with its channels, consumers and the
/// declared topology, after the broker comes back. With several brokers (<see cref="RabbitMqBrokers"/>: the nodes of a
/// cluster) the connection and every recovery try them in random order, so a dead node's clients move to a live one.
/// </summary>
internal sealed class RabbitMqConnection(RabbitMqBrokers brokers, IOptions<RabbitMqOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var factory = new ConnectionFactory
                {
                    Uri = brokers.First, // user, password, virtual host
                    AutomaticRecoveryEnabled = true,
                    // Connection and channels recover by themselves; queues, bindings and consumers do not: every
                    // consuming service re-declares its topology and consumes on fresh channels after a recovery
                    // (RabbitMqConsumingService). The client's own consumer recovery can bring a consumer back as a
                    // phantom that takes deliveries and never hands them over (rabbitmq-dotnet-client#1993, seen by
                    // the faults suite's scenario 4 as a queue with 16 deliveries stuck on a recovered channel).
                    TopologyRecoveryEnabled = false,
                    NetworkRecoveryInterval = options.Value.RecoveryInterval,
                    RequestedHeartbeat = TimeSpan.FromSeconds(10),
                    // The process too: an operator (or the faults suite) can tell which node holds which deliveries.
                    ClientProvidedName = $"atrium@{Environment.MachineName}/{Environment.ProcessId}",
                };
                _connection = await factory.CreateConnectionAsync(brokers.Endpoints, cancellationToken);
            }

            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A channel whose publishes complete only when the broker confirmed them (a nack throws).</summary>
    public async Task<IChannel> CreateConfirmingChannelAsync(CancellationToken cancellationToken)
    {
        var connection = await GetAsync(cancellationToken);
        return await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception)
            {
                // Closing a connection to a broker that is gone: nothing left to release but the object.
            }

            await connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
