using Atrium.Platform.Messaging;

namespace Atrium.Feed.Events;

/// <summary>Push one post into these followers' timelines (at most <see cref="FeedOptions.BatchSize"/> of them).</summary>
internal sealed record FanOutBatch(long PostId, long AuthorId, IReadOnlyList<long> FollowerIds) : IEvent
{
    public static string EventType => "feed.fan-out-batch";
}
