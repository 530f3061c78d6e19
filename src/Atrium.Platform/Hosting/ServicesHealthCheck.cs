using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atrium.Platform.Hosting;

/// <summary>
/// Degraded while any supervised background service is failing (it retries by itself; the node still serves what it
/// can, so <c>/health</c> stays 200 and the node stays in the load balancer), naming each with its failures and error.
/// </summary>
internal sealed class ServicesHealthCheck(ServiceStates states, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var all = states.All;
        var failing = all.Where(s => s.IsFailing).ToList();
        if (failing.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{all.Count} background services running.")));
        }

        var now = time.GetUtcNow();
        var data = failing.ToDictionary(
            s => s.Service,
            s => (object)string.Create(
                CultureInfo.InvariantCulture, $"{s.Failures} failures in {(now - s.FailingSince!.Value).TotalSeconds:0} s: {s.LastError}"));
        return Task.FromResult(HealthCheckResult.Degraded(
            $"Retrying: {string.Join(", ", failing.Select(s => s.Service))}.", data: data));
    }
}
