using Atrium.Platform.Messaging;

namespace Atrium.Feed.Events;

/// <summary>A reader came back after being inactive (or their timeline was lost): rebuild it from the database.</summary>
internal sealed record TimelineRebuildRequested(long UserId) : IEvent
{
    public static string EventType => "feed.timeline-rebuild-requested";
}
