using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// The node's one AMQP connection, opened on first use (so a broker that is down at start-up delays
/// messaging, not the server). Automatic recovery reconnects it, with its channels, consumers and the
/// declared topology, after the broker comes back.
/// </summary>
internal sealed class RabbitMqConnection(string connectionString, IOptions<RabbitMqOptions> options) : IAsyncDisposable
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
                    Uri = new Uri(connectionString),
                    AutomaticRecoveryEnabled = true,
                    TopologyRecoveryEnabled = true,
                    NetworkRecoveryInterval = options.Value.RecoveryInterval,
                    RequestedHeartbeat = TimeSpan.FromSeconds(10),
                    ClientProvidedName = $"atrium@{Environment.MachineName}",
                };
                _connection = await factory.CreateConnectionAsync(cancellationToken);
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
