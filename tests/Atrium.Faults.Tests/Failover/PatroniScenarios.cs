using Xunit;

namespace Atrium.Faults.Tests.Failover;

/// <summary>
/// Scenario 14 on its own HA PostgreSQL (<see cref="PatroniTopologies"/>), alone: it kills the primary and measures
/// how long writes stop, which a test competing for the two cores would stretch.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PatroniScenarios : ICollectionFixture<PatroniTopologies>
{
    public const string Name = "patroni faults";
}
