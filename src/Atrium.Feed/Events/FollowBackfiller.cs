using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Events;

/// <summary>
/// After a follow, copies the followee's newest <see cref="FeedOptions.BackfillCount"/> posts into the follower's
/// timeline (unless the followee is a celebrity in hybrid mode: merged at read anyway, or the follower's timeline
/// is not kept: inactive, or being rebuilt, which includes them). After an unfollow (or a block), removes the
/// followee's posts from it. Each acts only if the follow is still as the event says (a quick follow + unfollow
/// leaves nothing behind).
/// </summary>
internal sealed class FollowBackfiller(ITimelineStore timelines, TimeProvider time, IOptions<FeedOptions> options, FeedMetrics metrics) : IEventConsumer<FollowChanged>
{
    public const string ConsumerName = "feed.follow-backfill";

    public async Task HandleAsync(FollowChanged message, EventContext context, CancellationToken cancellationToken)
    {
        await ApplyAsync(message, context, cancellationToken);
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
        if (!following || follower is null || follower.IsRebuilding || !ActivityRule.IsActive(follower.ActiveAt, now, settings.InactiveAfter))
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
}
