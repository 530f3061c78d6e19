using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>
/// An app whose fan-out writer fails every batch (fail point <c>consumer.throw:feed.fan-out-writer</c>): a queue backlog
/// that never drains by itself, so a test decides when a post reaches the timeline (<see cref="FeedApp.PushAsync"/>).
/// </summary>
public sealed class LateFanOutApp() : FeedApp(new Dictionary<string, string?>
{
    ["Atrium:FailPoints"] = "consumer.throw:feed.fan-out-writer",
});
