namespace Atrium.Feed.Data;

/// <summary>A row of <c>feed_users</c>: a user's counters, celebrity flag, activity and timeline state.</summary>
internal sealed record FeedUserRow
{
    public const string Columns =
        "user_id AS UserId, followers AS Followers, following AS Following, posts AS Posts, last_post_id AS LastPostId, " +
        "celebrity AS Celebrity, active_at AS ActiveAt, rebuilding AS Rebuilding, stale AS Stale";

    public long UserId { get; init; }

    public long Followers { get; init; }

    public long Following { get; init; }

    public long Posts { get; init; }

    public long LastPostId { get; init; }

    public long Celebrity { get; init; }

    public long ActiveAt { get; init; }

    public long Rebuilding { get; init; }

    /// <summary>1 when a write to the user's timeline could not reach the store: the next read has it rebuilt.</summary>
    public long Stale { get; init; }

    public bool IsCelebrity => Celebrity == 1;

    public bool IsRebuilding => Rebuilding == 1;

    public bool IsStale => Stale == 1;
}
