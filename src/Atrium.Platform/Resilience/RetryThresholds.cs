namespace Atrium.Platform.Resilience;

/// <summary>
/// Retries of an idempotent call: up to <see cref="MaxRetryAttempts"/> more attempts, waiting an exponentially
/// growing, jittered delay from <see cref="BaseDelay"/>, capped at <see cref="MaxDelay"/> (Polly's decorrelated
/// jitter, so many callers retrying at once spread out instead of arriving together).
/// </summary>
public sealed record RetryThresholds(int MaxRetryAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay);
