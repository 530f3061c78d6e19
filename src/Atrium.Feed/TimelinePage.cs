using Atrium.Feed.Data;

namespace Atrium.Feed;

/// <summary>
/// One page of a home timeline: live posts newest first; <see cref="Next"/> the id to continue below (null: the
/// end); <see cref="Regenerating"/>: the timeline is being rebuilt and this page was read from the database;
/// <see cref="Omitted"/>: sources left out because they overran their budget (<see cref="OmittedCelebrities"/>), so
/// the page is partial — its missing posts appear on a later read.
/// </summary>
internal sealed record TimelinePage(IReadOnlyList<PostRow> Posts, long? Next, bool Regenerating, IReadOnlyList<string> Omitted)
{
    /// <summary>The followed celebrities' posts (merged at read) were left out.</summary>
    public const string OmittedCelebrities = "celebrities";

    /// <summary>Some posts may be missing from this page.</summary>
    public bool Partial => Omitted.Count > 0;
}
