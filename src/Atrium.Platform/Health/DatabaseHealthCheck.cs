using Atrium.Platform.Data;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atrium.Platform.Health;

/// <summary>
/// Healthy when the primary database answers a query. A PostgreSQL primary that does not answer is Degraded, not
/// Unhealthy: the node still serves reads from replicas and the cache and answers writes with a quick 503, and every
/// node shares the same primary, so taking them out of the load balancer would only turn a partial outage into a
/// total one. SQLite that does not answer is Unhealthy (nothing on the node works without it).
/// </summary>
internal sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenPrimaryAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{database.Dialect} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return database.Dialect == SqlDialect.Postgres
                ? HealthCheckResult.Degraded("The PostgreSQL primary does not answer: writes answer 503, reads come from replicas and the cache.", ex)
                : HealthCheckResult.Unhealthy($"{database.Dialect} does not answer.", ex);
        }
    }
}
