using Atrium.Links.Data;
using Atrium.Platform.Messaging;

namespace Atrium.Links.Events;

/// <summary>Adds a batch of clicks to the hourly aggregates; the inbox makes each batch count once.</summary>
internal sealed class ClickAggregator : IEventConsumer<ClicksRecorded>
{
    public const string ConsumerName = "links.click-aggregator";

    public Task HandleAsync(ClicksRecorded message, EventContext context, CancellationToken cancellationToken) =>
        ClickStatsStore.AddAsync(context.Transaction, message.Counts, cancellationToken);
}
