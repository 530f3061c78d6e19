using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>The <see cref="MessagingCluster"/> with a three-node RabbitMQ cluster, as a collection fixture.</summary>
public sealed class BrokerCluster : IAsyncLifetime
{
    public MessagingCluster Messaging { get; } = MessagingCluster.WithBrokerCluster();

    public ValueTask InitializeAsync() => Messaging.InitializeAsync();

    public ValueTask DisposeAsync() => Messaging.DisposeAsync();
}
