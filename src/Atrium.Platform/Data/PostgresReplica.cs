using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;

namespace Atrium.Platform.Data;

/// <summary>
/// One read replica: its pool, and its pipeline (circuit breaker → <see cref="ReplicaResilience.OpenTimeout"/> on
/// opening a connection). <see cref="Isolation"/> lets <see cref="ReplicaLagMonitor"/> take it out of rotation while
/// it is too far behind or does not answer its probe, and put it back once it is current.
/// </summary>
internal sealed class PostgresReplica
{
    public PostgresReplica(NpgsqlDataSource source, int index, TimeSpan breakDuration, TimeProvider time, ILogger logger, ResilienceMetrics? metrics)
    {
        Source = source;
        Name = PostgresConnectionStrings.Describe(source.ConnectionString);
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddBreaker(Dependency.Replica, index.ToString(System.Globalization.CultureInfo.InvariantCulture), ReplicaResilience.Breaker(breakDuration), logger, metrics, Isolation)
            .AddTimeout(ReplicaResilience.OpenTimeout)
            .Build();
    }

    /// <summary>The replica's pool.</summary>
    public NpgsqlDataSource Source { get; }

    /// <summary>host:port (or the host list), for logs (never the password).</summary>
    public string Name { get; }

    /// <summary>Opening a connection: breaker and timeout.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>Manual control of the breaker: isolated = skipped until closed again.</summary>
    public CircuitBreakerManualControl Isolation { get; } = new();

    /// <summary>Whether the lag monitor isolated it (so only the monitor closes it again).</summary>
    public bool IsolatedForLag { get; set; }
}
