using Xunit;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// The scenarios that share one private <see cref="FaultCluster"/>: a collection, so they run one after another (each
/// breaks the cluster on purpose and heals it before the next) and the cluster starts once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<FaultCluster>
{
    public const string Name = "fault-injection cluster";
}
