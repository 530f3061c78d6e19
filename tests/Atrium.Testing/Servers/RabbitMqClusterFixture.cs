using Xunit;

namespace Atrium.Testing.Servers;

/// <summary>
/// A three-node RabbitMQ cluster (<see cref="RabbitMqCluster"/>) for one test class or collection: it takes tens of
/// seconds to form, so start it once (<c>IClassFixture</c> / <c>ICollectionFixture</c>), never per test.
/// </summary>
public sealed class RabbitMqClusterFixture : IAsyncLifetime
{
    private RabbitMqCluster? _cluster;

    public RabbitMqCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => _cluster = await RabbitMqCluster.StartNewAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
