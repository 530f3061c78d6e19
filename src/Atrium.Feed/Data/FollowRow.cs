namespace Atrium.Feed.Data;

/// <summary>One follow in a follower/following list: the other user and the follow's id (the list cursor).</summary>
internal sealed record FollowRow
{
    public long UserId { get; init; }

    public long Id { get; init; }
}
