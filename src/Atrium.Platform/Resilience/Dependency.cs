namespace Atrium.Platform.Resilience;

/// <summary>
/// The names of the dependencies that have a resilience pipeline (docs/resilience.md): the <c>dependency</c> tag of
/// the <c>atrium.resilience.*</c> metrics and the key of <see cref="DependencyPipelines"/>.
/// </summary>
public static class Dependency
{
    /// <summary>The one shared Redis (cache L2, timelines, presence, pub/sub, pins, rate limits).</summary>
    public const string Redis = "redis";

    /// <summary>The RabbitMQ broker the outbox relay publishes to.</summary>
    public const string RabbitMq = "rabbitmq";

    /// <summary>A PostgreSQL read replica (one breaker per replica).</summary>
    public const string Replica = "replica";
}
