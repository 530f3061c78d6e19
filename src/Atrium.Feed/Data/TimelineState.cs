namespace Atrium.Feed.Data;

/// <summary>What a home-timeline store answered for one read.</summary>
internal enum TimelineState
{
    /// <summary>The timeline exists: <see cref="TimelineSlice.PostIds"/> is its answer.</summary>
    Ready,

    /// <summary>The store has no timeline for the user (never built, or lost: Redis restarted empty): rebuild it.</summary>
    Missing,

    /// <summary>The store could not be asked (Redis down): read from the database instead.</summary>
    Unavailable,
}
