using Atrium.Feed.Data;
using Atrium.Feed.Domain;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Options;

namespace Atrium.Feed.Events;

/// <summary>
/// Plans a post's fan-out: nothing in pull mode or for a celebrity (hybrid); else the author's active followers,
/// split into <see cref="FanOutBatch"/> messages of at most <see cref="FeedOptions.BatchSize"/> ids, published in
/// this consumer's transaction (so a redelivered <see cref="PostCreated"/> plans nothing twice).
/// </summary>
internal sealed class FanOutPlanner(IEventPublisher publisher, TimeProvider time, IOptions<FeedOptions> options, FeedMetrics metrics)
    : IEventConsumer<PostCreated>
{
    public const string ConsumerName = "feed.fan-out-planner";

    public async Task HandleAsync(PostCreated message, EventContext context, CancellationToken cancellationToken)
    {
        await PlanAsync(message, context, cancellationToken);
        metrics.PostPlanned();
    }

    private async Task PlanAsync(PostCreated message, EventContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode == FanOutMode.Pull)
        {
            return;
        }

        if (settings.Mode == FanOutMode.Hybrid
            && await FeedUserStore.FindAsync(context.Connection, context.Transaction, message.AuthorId, cancellationToken) is { IsCelebrity: true })
        {
            metrics.CelebrityPostSkipped();
            return;
        }

        var activeSince = ActivityRule.ActiveSince(time.GetUtcNow().ToUnixTimeMilliseconds(), settings.InactiveAfter);
        var after = 0L;
        while (true)
        {
            var followers = await FeedUserStore.ActiveFollowersAsync(context.Transaction, message.AuthorId, activeSince, after, settings.BatchSize, cancellationToken);
            if (followers.Count == 0)
            {
                return;
            }

            await publisher.PublishAsync(new FanOutBatch(message.PostId, message.AuthorId, [.. followers.Select(f => f.UserId)]), context.Transaction, cancellationToken);
            metrics.BatchPlanned();
            if (followers.Count < settings.BatchSize)
            {
                return;
            }

            after = followers[^1].Id;
        }
    }
}
