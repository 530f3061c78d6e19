using Atrium.Feed.Data;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Events;

/// <summary>
/// Rebuilds a home timeline from the database: the newest <see cref="FeedOptions.TimelineCap"/> posts of everyone
/// the user follows (but celebrities in hybrid mode, merged at read), added to what the timeline still holds
/// (never cleared first: a push that raced the rebuild stays), then marks it ready. Reads meanwhile are served
/// from the database with <c>regenerating: true</c>.
/// </summary>
internal sealed class TimelineRebuilder(ITimelineStore timelines, IOptions<FeedOptions> options, FeedMetrics metrics, TimelineRebuildHook hook) : IEventConsumer<TimelineRebuildRequested>
{
    public const string ConsumerName = "feed.timeline-rebuilder";

    public async Task HandleAsync(TimelineRebuildRequested message, EventContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode != FanOutMode.Pull)
        {
            var posts = await PostStore.PullAsync(
                context.Connection, context.Transaction, message.UserId, includeReader: false, celebrities: settings.Mode == FanOutMode.Push,
                long.MaxValue, 0, settings.TimelineCap, cancellationToken);
            if (hook.AfterRead is { } afterRead)
            {
                await afterRead(message.UserId, cancellationToken);
            }

            await timelines.RebuildAsync(context.Transaction, message.UserId, posts, cancellationToken);
        }

        await FeedUserStore.FinishRebuildAsync(context.Transaction, message.UserId, cancellationToken);
        metrics.TimelineRebuilt();
    }
}
