using Xunit;

namespace Atrium.Testing.Servers;

/// <summary>
/// A <see cref="RedisCluster"/> for a test class (it starts in a few seconds). It has only database 0: the class's
/// tests run one after another, and each starts with <see cref="RedisCluster.FlushAsync"/> or uses keys of its own.
/// A test that kills a node should start its own cluster.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => _cluster = await RedisCluster.StartNewAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
