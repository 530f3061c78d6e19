namespace Atrium.Feed.Data;

/// <summary>
/// Post ids of a home timeline in a range, newest first. <see cref="Truncated"/>: the timeline ran out before the
/// range did, and may not hold what lies below its oldest entry (trimmed at the cap, removed by an unfollow or a block,
/// never pushed): the read continues in the database there.
/// </summary>
internal sealed record TimelineSlice(TimelineState State, IReadOnlyList<long> PostIds, bool Truncated)
{
    public static readonly TimelineSlice Missing = new(TimelineState.Missing, [], false);

    public static readonly TimelineSlice Unavailable = new(TimelineState.Unavailable, [], false);
}
