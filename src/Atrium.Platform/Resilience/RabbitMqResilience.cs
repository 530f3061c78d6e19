namespace Atrium.Platform.Resilience;

/// <summary>
/// The thresholds of the RabbitMQ publish pipeline (docs/resilience.md, RabbitMQ). The timeout is
/// <c>Atrium:RabbitMQ:ConfirmTimeout</c> (10 s by default): a publish — channel, topology, publishes and the
/// broker's confirms — that has not been confirmed by then counts as failed. While RabbitMQ is down the outbox holds
/// the events (that is the degradation: nothing is lost, events arrive late).
/// </summary>
public static class RabbitMqResilience
{
    /// <summary>
    /// Opens at ≥ 50 % failures over 10 s once there were ≥ 3 publishes, for 5 s. The relay publishes one batch at a
    /// time, so throughput is low: 3 failures are reached within a few backoffs of a dead broker, and a 10 s window does
    /// not let a busy minute's successes outvote them. While open the relay
    /// fails at once and backs off (Atrium:Messaging:RetryBaseDelay..RetryMaxDelay) instead of opening connections to
    /// a dead broker; 5 s is about the time a restarted broker needs to accept connections again.
    /// </summary>
    public static readonly BreakerThresholds Breaker = new(0.5, 3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));

    /// <summary>
    /// Two retries from ≈ 200 ms (jittered, at most 2 s). A publish is safe to retry: a batch that was partly confirmed
    /// is published again whole, and every consumer deduplicates by event id (its inbox row), so a duplicate is
    /// absorbed, never applied twice.
    /// </summary>
    public static readonly RetryThresholds Retry = new(2, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
}
