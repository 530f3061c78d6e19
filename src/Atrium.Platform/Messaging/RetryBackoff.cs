namespace Atrium.Platform.Messaging;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
/// the wait before retry n is uniform in [0, min(max, base·2ⁿ⁻¹)], so failing consumers spread out
/// instead of retrying in lock-step.
/// </summary>
public static class RetryBackoff
{
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}
