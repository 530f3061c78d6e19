using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Healthy when the node's connection to RabbitMQ is open; Degraded (still ready, HTTP 200) when it is not: writes
/// keep succeeding while events wait in the outbox, so a broker outage must not take every node out of the gateway.
/// </summary>
internal sealed class RabbitMqHealthCheck(RabbitMqConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var amqp = await connection.GetAsync(timeout.Token);
            return amqp.IsOpen
                ? HealthCheckResult.Healthy("RabbitMQ connection is open.")
                : HealthCheckResult.Degraded("RabbitMQ connection is down; recovering (events wait in the outbox).");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("RabbitMQ does not answer (events wait in the outbox).", exception: ex);
        }
    }
}
