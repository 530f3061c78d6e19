namespace Atrium.Feed.Domain;

/// <summary>
/// Whether an author is a celebrity (posts merged at read instead of pushed), with hysteresis: one becomes a
/// celebrity at <c>threshold</c> followers and stops only below <c>lower</c>, so an author hovering around the
/// threshold does not switch strategy at every follow.
/// </summary>
internal static class CelebrityRule
{
    public static bool Next(bool isCelebrity, long followers, long threshold, long lower) =>
        isCelebrity ? followers >= lower : followers >= threshold;
}
