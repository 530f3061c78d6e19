using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// The broker-cluster scenario (16) on its own PostgreSQL and three-node RabbitMQ cluster (<see cref="BrokerCluster"/>),
/// alone: it kills broker nodes under load, and the cluster takes tens of seconds to form, so once for the collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerClusterScenarios : ICollectionFixture<BrokerCluster>
{
    public const string Name = "rabbitmq cluster faults";
}
