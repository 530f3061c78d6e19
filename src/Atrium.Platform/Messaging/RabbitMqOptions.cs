namespace Atrium.Platform.Messaging;

/// <summary>RabbitMQ transport settings (<c>Atrium:RabbitMQ</c>); the broker itself is <c>ConnectionStrings:RabbitMQ</c>.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>Unacknowledged deliveries a consumer channel holds at once.</summary>
    public ushort Prefetch { get; set; } = 16;

    /// <summary>How long a publish waits for the broker's confirm before it counts as failed.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the client tries to reconnect after it lost the broker.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
