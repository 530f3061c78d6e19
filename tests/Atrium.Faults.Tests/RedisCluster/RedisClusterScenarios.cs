using Xunit;

namespace Atrium.Faults.Tests.RedisCluster;

/// <summary>The Redis Cluster scenarios: their own servers (<see cref="RedisClusterFaults"/>), run alone (they kill a master).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisClusterScenarios : ICollectionFixture<RedisClusterFaults>
{
    public const string Name = "redis cluster scenarios";
}
