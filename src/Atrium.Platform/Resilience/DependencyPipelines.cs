using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace Atrium.Platform.Resilience;

/// <summary>
/// The resilience pipelines of the node's shared dependencies (docs/resilience.md), one singleton in DI. Every Redis
/// caller goes through the same breaker, so one Redis outage opens ONE circuit that every module sees at once, with
/// one state on the <c>atrium.resilience.circuit.state{dependency="redis"}</c> gauge. Each module gets its own
/// bulkhead in front of it (<see cref="RedisResilience.BulkheadPermits"/>), so a module piling up calls on a slow
/// Redis is turned away at once instead of starving the others. A pipeline is, outside in:
/// bulkhead (per module) → retry (idempotent calls only) → circuit breaker (shared) → timeout (per attempt).
/// Callers catch <see cref="DependencyFailure.IsUnavailable"/> exceptions and degrade (the table in
/// docs/resilience.md says to what).
/// </summary>
public sealed class DependencyPipelines
{
    private readonly ConcurrentDictionary<(string Module, CallKind Kind), ResiliencePipeline> _redis = new();
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _bulkheads = new();
    private readonly ResilienceMetrics _metrics;
    private readonly TimeProvider _time;

    public DependencyPipelines(ResilienceMetrics metrics, TimeProvider time, IOptions<RabbitMqOptions> rabbitMq, ILogger<DependencyPipelines> logger)
    {
        _metrics = metrics;
        _time = time;
        RedisShared = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddBreaker(Dependency.Redis, "", RedisResilience.Breaker, logger, metrics)
            .AddTimeout(RedisResilience.Timeout)
            .Build();
        RabbitMq = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddJitteredRetry(RabbitMqResilience.Retry)
            .AddBreaker(Dependency.RabbitMq, "", RabbitMqResilience.Breaker, logger, metrics)
            .AddTimeout(rabbitMq.Value.ConfirmTimeout)
            .Build();
    }

    /// <summary>The shared Redis breaker + timeout, without a bulkhead or retries (what the per-module pipelines wrap).</summary>
    public ResiliencePipeline RedisShared { get; }

    /// <summary>The outbox relay's publish: retry (a publish is idempotent for deduplicating consumers) → breaker → confirm timeout.</summary>
    public ResiliencePipeline RabbitMq { get; }

    /// <summary>
    /// The pipeline for <paramref name="module"/>'s Redis calls of this <paramref name="kind"/>: the module's bulkhead,
    /// retries when <see cref="CallKind.Retryable"/>, then the shared breaker and timeout.
    /// </summary>
    public ResiliencePipeline Redis(string module, CallKind kind) => _redis.GetOrAdd((module, kind), key =>
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => Bulkhead(key.Module).AcquireAsync(1, args.Context.CancellationToken),
                OnRejected = _ =>
                {
                    _metrics.BulkheadRejected.Add(
                        1, new KeyValuePair<string, object?>("dependency", Dependency.Redis), new KeyValuePair<string, object?>("module", key.Module));
                    return ValueTask.CompletedTask;
                },
            });
        if (key.Kind == CallKind.Retryable)
        {
            builder.AddJitteredRetry(RedisResilience.Retry);
        }

        return builder.AddPipeline(RedisShared).Build();
    });

    private ConcurrencyLimiter Bulkhead(string module) => _bulkheads.GetOrAdd(module, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
    {
        PermitLimit = RedisResilience.BulkheadPermits,
        QueueLimit = RedisResilience.BulkheadQueue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    }));
}
