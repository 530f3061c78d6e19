using Atrium.Feed.Data;
using Atrium.Platform.Messaging;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Events;

/// <summary>
/// Rebuilds a home timeline from the database: the newest <see cref="FeedOptions.TimelineCap"/> posts of everyone
/// the user follows (but celebrities in hybrid mode, merged at read), added to what the timeline still holds
/// (never cleared first: a push that raced the rebuild stays), then marks it ready. The timeline's marker is made
/// before the read, so a post committed after the read is pushed into it rather than skipped, and a follow made after
/// it is backfilled into it. Reads meanwhile are served from the database with <c>regenerating: true</c>. A store
/// that cannot be reached abandons the rebuild: the timeline is left stale, and a read once Redis answers asks again.
/// </summary>
internal sealed partial class TimelineRebuilder(
    ITimelineStore timelines, IOptions<FeedOptions> options, FeedMetrics metrics, TimelineRebuildHook hook, ILogger<TimelineRebuilder> logger)
    : IEventConsumer<TimelineRebuildRequested>
{
    public const string ConsumerName = "feed.timeline-rebuilder";

    public async Task HandleAsync(TimelineRebuildRequested message, EventContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode != FanOutMode.Pull)
        {
            try
            {
                await timelines.StartRebuildAsync(context.Transaction, message.UserId, cancellationToken);
                var posts = await PostStore.PullAsync(
                    context.Connection, context.Transaction, message.UserId, includeReader: false, celebrities: settings.Mode == FanOutMode.Push,
                    long.MaxValue, 0, settings.TimelineCap, cancellationToken);
                if (hook.AfterRead is { } afterRead)
                {
                    await afterRead(message.UserId, cancellationToken);
                }

                await timelines.RebuildAsync(context.Transaction, message.UserId, posts, cancellationToken);
            }
            catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                await FeedUserStore.AbandonRebuildAsync(context.Transaction, message.UserId, cancellationToken);
                metrics.TimelinesMarkedStale(1);
                LogAbandoned(logger, message.UserId, ex);
                return;
            }
        }

        await FeedUserStore.FinishRebuildAsync(context.Transaction, message.UserId, cancellationToken);
        metrics.TimelineRebuilt();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuild of the home timeline of user {UserId} could not reach the timeline store: left stale, asked again on a later read")]
    private static partial void LogAbandoned(ILogger logger, long userId, Exception exception);
}
