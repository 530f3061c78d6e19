using Atrium.Platform.Messaging;

namespace Atrium.Links.Events;

/// <summary>
/// A batch of clicks, pre-aggregated by link, hour, referrer host, browser family and bot/human.
/// The event id is the batch id: the aggregator applies each batch once.
/// </summary>
internal sealed record ClicksRecorded(IReadOnlyList<ClickCount> Counts) : IEvent
{
    public static string EventType => "links.clicks-recorded";
}

internal sealed record ClickCount(string Code, long Hour, string ReferrerHost, string Browser, bool IsBot, long Clicks);
