using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Atrium.Platform.Resilience;

/// <summary>The building blocks of every dependency pipeline, so each is assembled the same way.</summary>
internal static class Strategies
{
    /// <summary>
    /// A failure of the dependency: anything but the caller giving up (its own cancellation). A timeout of ours
    /// (<see cref="TimeoutRejectedException"/>) is a failure.
    /// </summary>
    public static bool IsFailure(Exception exception) => exception is not OperationCanceledException;

    /// <summary>Worth another attempt: a failure, but not a rejection by a breaker or a bulkhead (those mean "not now").</summary>
    public static bool IsRetryable(Exception exception) =>
        IsFailure(exception) && (exception is not ExecutionRejectedException || exception is TimeoutRejectedException)
        && exception is not StackExchange.Redis.RedisServerException; // a script or type error fails the same way every time

    public static ResiliencePipelineBuilder AddBreaker(
        this ResiliencePipelineBuilder builder, string dependency, string instance, BreakerThresholds thresholds, ILogger logger, ResilienceMetrics? metrics,
        CircuitBreakerManualControl? manualControl = null)
    {
        var state = new CircuitBreakerStateProvider();
        metrics?.Track(dependency, instance, state);
        var shown = instance.Length == 0 ? "" : $" {instance}";
        return builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = thresholds.FailureRatio,
            MinimumThroughput = thresholds.MinimumThroughput,
            SamplingDuration = thresholds.SamplingDuration,
            BreakDuration = thresholds.BreakDuration,
            StateProvider = state,
            ManualControl = manualControl,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsFailure(ex)),
            OnOpened = args =>
            {
                ResilienceLog.Opened(logger, dependency, shown, args.BreakDuration.TotalSeconds, args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                ResilienceLog.HalfOpened(logger, dependency, shown);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                ResilienceLog.Closed(logger, dependency, shown);
                return ValueTask.CompletedTask;
            },
        });
    }

    public static ResiliencePipelineBuilder AddJitteredRetry(this ResiliencePipelineBuilder builder, RetryThresholds thresholds) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = thresholds.MaxRetryAttempts,
            Delay = thresholds.BaseDelay,
            MaxDelay = thresholds.MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsRetryable(ex)),
        });
}
