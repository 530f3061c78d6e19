namespace Atrium.Platform.Messaging;

/// <summary>RabbitMQ transport settings (<c>Atrium:RabbitMQ</c>); the broker itself is <c>ConnectionStrings:RabbitMQ</c>.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>Unacknowledged deliveries a consumer channel holds at once.</summary>
    public ushort Prefetch { get; set; } = 16;

    /// <summary>
    /// How long one publish attempt (channel, topology, publishes and the broker's confirms) may take before it counts as
    /// failed: the timeout of the RabbitMQ pipeline (docs/resilience.md). 10 s: a quorum queue confirms once a majority
    /// has written the message, milliseconds on a healthy cluster and still well under a second under load; a broker
    /// that needs 10 s is in trouble (memory or disk alarm, a partition), and the outbox keeps the events meanwhile.
    /// </summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the client tries to reconnect after it lost the broker.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
