using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// The messaging scenarios (3-7) share one private PostgreSQL and RabbitMQ (<see cref="MessagingCluster"/>), each
/// with its own database and virtual host, and run one at a time and alone: they kill and pause the broker and the
/// nodes, and a heartbeat scenario must not starve for CPU behind another test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MessagingScenarios : ICollectionFixture<MessagingCluster>
{
    public const string Name = "messaging faults";
}
