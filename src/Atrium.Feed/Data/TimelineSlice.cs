namespace Atrium.Feed.Data;

/// <summary>
/// Post ids of a home timeline in a range, newest first. <see cref="Truncated"/>: the timeline is at its cap, so
/// posts older than its oldest entry exist that it no longer holds (the read continues in the database).
/// </summary>
internal sealed record TimelineSlice(TimelineState State, IReadOnlyList<long> PostIds, bool Truncated)
{
    public static readonly TimelineSlice Missing = new(TimelineState.Missing, [], false);

    public static readonly TimelineSlice Unavailable = new(TimelineState.Unavailable, [], false);
}
