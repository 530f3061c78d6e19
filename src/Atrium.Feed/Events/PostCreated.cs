using Atrium.Platform.Messaging;

namespace Atrium.Feed.Events;

/// <summary>A post was stored; the fan-out planner decides whom it is pushed to.</summary>
internal sealed record PostCreated(long PostId, long AuthorId) : IEvent
{
    public static string EventType => "feed.post-created";
}
