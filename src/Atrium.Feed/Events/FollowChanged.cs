using Atrium.Platform.Messaging;

namespace Atrium.Feed.Events;

/// <summary>
/// <paramref name="FollowerId"/> started (<paramref name="Following"/>) or stopped following <paramref name="FolloweeId"/>:
/// the followee's newest posts are copied into, or removed from, the follower's timeline.
/// </summary>
internal sealed record FollowChanged(long FollowerId, long FolloweeId, bool Following) : IEvent
{
    public static string EventType => "feed.follow-changed";
}
