using Atrium.Feed.Data;

namespace Atrium.Feed;

/// <summary>
/// One page of a home timeline: live posts newest first; <see cref="Next"/> the id to continue below (null: the
/// end); <see cref="Regenerating"/>: the timeline is being rebuilt and this page was read from the database.
/// </summary>
internal sealed record TimelinePage(IReadOnlyList<PostRow> Posts, long? Next, bool Regenerating);
