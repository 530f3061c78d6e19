namespace Atrium.Platform.Resilience;

/// <summary>
/// When a circuit breaker opens: at least <see cref="FailureRatio"/> of the calls of the last
/// <see cref="SamplingDuration"/> failed, once there were at least <see cref="MinimumThroughput"/> of them; it stays
/// open (every call fails at once, no network) for <see cref="BreakDuration"/>, then lets one trial call through.
/// </summary>
public sealed record BreakerThresholds(double FailureRatio, int MinimumThroughput, TimeSpan SamplingDuration, TimeSpan BreakDuration);
