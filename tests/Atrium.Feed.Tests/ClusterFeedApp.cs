using Atrium.Feed.Tests.Support;
using Atrium.Testing.Servers;

namespace Atrium.Feed.Tests;

/// <summary>An app whose Redis is a Redis Cluster of its own (3 masters, 1 replica each), in either shape.</summary>
public sealed class ClusterFeedApp : FeedApp
{
    public RedisCluster Cluster { get; private set; } = null!;

    protected override async Task<string?> StartRedisAsync(CancellationToken cancellationToken)
    {
        Cluster = await RedisCluster.StartNewAsync(cancellationToken);
        return Cluster.ConnectionString;
    }

    protected override async ValueTask StopRedisAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
