using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Platform.Tests.Data;

/// <summary>A synchronous <see cref="PatroniCluster"/> for one test class, started only in the distributed shape (it costs seconds).</summary>
public sealed class PatroniFixture : IAsyncLifetime
{
    private PatroniCluster? _cluster;

    public PatroniCluster Cluster => _cluster ?? throw new InvalidOperationException("The HA topology runs in the distributed shape only.");

    public async ValueTask InitializeAsync()
    {
        if (TestShape.IsDistributed)
        {
            _cluster = await PatroniCluster.StartNewAsync(ReplicationMode.Synchronous, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
