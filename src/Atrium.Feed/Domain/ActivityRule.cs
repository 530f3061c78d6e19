namespace Atrium.Feed.Domain;

/// <summary>
/// When a reader counts as active (fanned out to) and when their activity needs writing again: a read marks a
/// user active, but only once per <c>resolution</c> costs a write.
/// </summary>
internal static class ActivityRule
{
    public static bool IsActive(long activeAtMs, long nowMs, TimeSpan inactiveAfter) =>
        activeAtMs > 0 && nowMs - activeAtMs < (long)inactiveAfter.TotalMilliseconds;

    public static bool NeedsTouch(long activeAtMs, long nowMs, TimeSpan resolution) =>
        nowMs - activeAtMs >= (long)resolution.TotalMilliseconds;

    /// <summary>The oldest activity instant (unix ms) that still counts as active at <paramref name="nowMs"/>.</summary>
    public static long ActiveSince(long nowMs, TimeSpan inactiveAfter) => nowMs - (long)inactiveAfter.TotalMilliseconds + 1;
}
