using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Events;

/// <summary>
/// After a follow, copies the followee's newest <see cref="FeedOptions.BackfillCount"/> posts into the follower's
/// timeline (unless the followee is a celebrity in hybrid mode: merged at read anyway, or the follower is inactive:
/// their timeline is not kept). A timeline being rebuilt is backfilled too: the rebuild may have read the follows
/// before this one. After an unfollow (or a block), removes the followee's posts from it. Each acts only if the follow
/// is still as the event says (a quick follow + unfollow leaves nothing behind). A store that cannot be reached marks
/// the timeline stale (rebuilt on its next read) instead of failing the event.
/// </summary>
internal sealed partial class FollowBackfiller(
    ITimelineStore timelines, IDatabase database, TimeProvider time, IOptions<FeedOptions> options, FeedMetrics metrics, ILogger<FollowBackfiller> logger)
    : IEventConsumer<FollowChanged>
{
    public const string ConsumerName = "feed.follow-backfill";

    public async Task HandleAsync(FollowChanged message, EventContext context, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(message, context, cancellationToken);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            metrics.TimelinesMarkedStale(await FeedUserStore.MarkStaleAsync(context.Transaction, database.Dialect, [message.FollowerId], cancellationToken));
            LogMarkedStale(logger, message.FollowerId, ex);
        }

        metrics.FollowChangeApplied();
    }

    private async Task ApplyAsync(FollowChanged message, EventContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode == FanOutMode.Pull)
        {
            return;
        }

        var following = await FollowStore.IsFollowingAsync(context.Connection, context.Transaction, message.FollowerId, message.FolloweeId, cancellationToken);
        if (!message.Following)
        {
            if (!following)
            {
                await timelines.RemoveAuthorAsync(context.Transaction, message.FollowerId, message.FolloweeId, cancellationToken);
            }

            return;
        }

        var follower = await FeedUserStore.FindAsync(context.Connection, context.Transaction, message.FollowerId, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!following || follower is null || !ActivityRule.IsActive(follower.ActiveAt, now, settings.InactiveAfter))
        {
            return;
        }

        if (settings.Mode == FanOutMode.Hybrid
            && await FeedUserStore.FindAsync(context.Connection, context.Transaction, message.FolloweeId, cancellationToken) is { IsCelebrity: true })
        {
            return;
        }

        var posts = await PostStore.AuthorPostIdsAsync(context.Connection, context.Transaction, message.FolloweeId, long.MaxValue, 0, settings.BackfillCount, cancellationToken);
        await timelines.AddAsync(context.Transaction, message.FollowerId, [.. posts.Select(id => (id, message.FolloweeId))], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A follow change of user {UserId} could not reach the timeline store: timeline marked stale (rebuilt on its next read)")]
    private static partial void LogMarkedStale(ILogger logger, long userId, Exception exception);
}
