using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Faults.Tests.Failover;

/// <summary>
/// The HA PostgreSQL of scenario 14: one <see cref="PatroniCluster"/> per <see cref="ReplicationMode"/>, started side by
/// side (most of a Patroni start is waiting on its loops, so two at once cost about as much as one), and one RabbitMQ
/// that each mode's Atrium cluster uses through its own virtual host.
/// </summary>
public sealed class PatroniTopologies : IAsyncLifetime
{
    private readonly Dictionary<ReplicationMode, Task<PatroniCluster>> _clusters = [];
    private RabbitMqServer? _rabbitMq;

    public RabbitMqServer RabbitMq => _rabbitMq ?? throw new InvalidOperationException("The topologies have not started.");

    public PatroniCluster For(ReplicationMode mode) => _clusters[mode].Result;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        foreach (var mode in Enum.GetValues<ReplicationMode>())
        {
            _clusters[mode] = PatroniCluster.StartNewAsync(mode, cancellationToken);
        }

        var rabbitMq = RabbitMqServer.StartNewAsync(cancellationToken);
        try
        {
            _rabbitMq = await rabbitMq;
        }
        finally
        {
            // Every start has finished (a failed one has cleaned up after itself) before this returns or throws.
            await Task.WhenAll(_clusters.Values.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        await Task.WhenAll(_clusters.Values);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cluster in _clusters.Values.Where(c => c.IsCompletedSuccessfully))
        {
            await cluster.Result.DisposeAsync();
        }

        // The broker is killed, not stopped: a graceful stop takes seconds and nothing here needs it.
        if (_rabbitMq is not null)
        {
            await _rabbitMq.KillAsync();
            await _rabbitMq.DisposeAsync();
        }
    }
}
