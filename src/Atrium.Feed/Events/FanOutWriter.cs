using Atrium.Feed.Data;
using Atrium.Platform.Messaging;

namespace Atrium.Feed.Events;

/// <summary>Writes one fan-out batch: the post into each listed follower's timeline, insert + trim, pipelined.</summary>
internal sealed class FanOutWriter(ITimelineStore timelines, FeedMetrics metrics) : IEventConsumer<FanOutBatch>
{
    public const string ConsumerName = "feed.fan-out-writer";

    public async Task HandleAsync(FanOutBatch message, EventContext context, CancellationToken cancellationToken)
    {
        metrics.TimelineEntriesWritten(await timelines.PushAsync(context.Transaction, message.PostId, message.AuthorId, message.FollowerIds, cancellationToken));
        metrics.BatchWritten();
    }
}
