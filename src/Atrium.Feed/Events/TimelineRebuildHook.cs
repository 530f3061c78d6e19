namespace Atrium.Feed.Events;

/// <summary>
/// A testing aid in the spirit of <see cref="Atrium.Platform.Messaging.FailPoints"/>: lets a test commit writes (a post,
/// a follow) between a rebuild's read of the database and its write to the timeline, the window where they used to be
/// lost. Null, and so free, unless a test sets it.
/// </summary>
internal sealed class TimelineRebuildHook
{
    /// <summary>Runs with the user id once the rebuild has read the posts, before it writes them.</summary>
    public Func<long, CancellationToken, Task>? AfterRead { get; set; }
}
