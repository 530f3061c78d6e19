using Atrium.Feed.Data;
using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;

namespace Atrium.Feed.Events;

/// <summary>
/// Writes one fan-out batch: the post into each listed follower's timeline, insert + trim, pipelined. When the store
/// cannot be reached (Redis down, after the Redis pipeline's own retries), the batch is not retried until it is
/// dead-lettered: the followers' timelines are marked stale in this consumer's transaction, and each is rebuilt from the
/// database on its owner's next read once Redis answers (DESIGN.md §3, Feed). That holds for an outage of any length,
/// and also when Redis comes back without its data, where replaying the push would have nothing to land in.
/// </summary>
internal sealed partial class FanOutWriter(ITimelineStore timelines, IDatabase database, FeedMetrics metrics, ILogger<FanOutWriter> logger)
    : IEventConsumer<FanOutBatch>
{
    public const string ConsumerName = "feed.fan-out-writer";

    public async Task HandleAsync(FanOutBatch message, EventContext context, CancellationToken cancellationToken)
    {
        try
        {
            metrics.TimelineEntriesWritten(await timelines.PushAsync(context.Transaction, message.PostId, message.AuthorId, message.FollowerIds, cancellationToken));
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            var marked = await FeedUserStore.MarkStaleAsync(context.Transaction, database.Dialect, message.FollowerIds, cancellationToken);
            metrics.TimelinesMarkedStale(marked);
            LogMarkedStale(logger, message.PostId, marked, ex);
        }

        metrics.BatchWritten();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out of post {PostId} could not reach the timeline store: {Timelines} timelines marked stale (rebuilt on their next read)")]
    private static partial void LogMarkedStale(ILogger logger, long postId, int timelines, Exception exception);
}
