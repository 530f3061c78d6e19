using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app on the real clock where a reader goes inactive after 5 seconds (activity written at most once a second).</summary>
public sealed class ShortInactivityApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:InactiveAfter"] = "00:00:05",
    ["Feed:ActivityResolution"] = "00:00:01",
});
