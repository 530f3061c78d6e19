using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Atrium.Platform.Caching;

/// <summary>
/// The resilience pipeline around the Redis L2 (DESIGN.md §4, Resilience). Thresholds:
/// <list type="bullet">
/// <item>timeout <see cref="Timeout"/> (200 ms) per call: a Redis round trip on a LAN is well under 1 ms, so a call
/// that takes 200 ms is failing; it counts as a failure and the caller treats it as a miss.</item>
/// <item>circuit breaker: opens when at least half of the calls of the last <see cref="SamplingDuration"/> (10 s)
/// failed, once there were at least <see cref="MinimumThroughput"/> (4) of them; while open every call fails at once
/// (no network) for <see cref="BreakDuration"/> (3 s), then one trial call is let through (half-open): success closes
/// the circuit, failure opens it for another 3 s. So a Redis outage costs at most a few slow calls, and recovery
/// is noticed within about 3 s of Redis answering again.</item>
/// </list>
/// </summary>
internal static partial class RedisCircuit
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(3);
    public const int MinimumThroughput = 4;
    public const double FailureRatio = 0.5;

    public static ResiliencePipeline Create(ILogger logger, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = FailureRatio,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = SamplingDuration,
                BreakDuration = BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException),
                OnOpened = args =>
                {
                    LogOpened(logger, args.BreakDuration.TotalSeconds, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    LogHalfOpened(logger);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(Timeout)
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis L2 circuit opened for {Seconds} s: the cache serves from L1 and the database.")]
    private static partial void LogOpened(ILogger logger, double seconds, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis L2 circuit half-open: trying one call.")]
    private static partial void LogHalfOpened(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis L2 circuit closed: Redis answers again.")]
    private static partial void LogClosed(ILogger logger);
}
