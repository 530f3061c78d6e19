namespace Atrium.Faults.Tests.Messaging;

/// <summary>One scenario's part of the <see cref="MessagingCluster"/>: its own database and RabbitMQ virtual host.</summary>
/// <param name="Postgres">Connection string of the scenario's database.</param>
/// <param name="RabbitMq">AMQP URI of the scenario's virtual host.</param>
/// <param name="VirtualHost">The virtual host's name, for <c>rabbitmqctl -p</c>.</param>
public sealed record ClusterSlice(string Postgres, string RabbitMq, string VirtualHost);
