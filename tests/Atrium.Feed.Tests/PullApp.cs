using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app in pull mode: no fan-out at all, every read merges from the database.</summary>
public sealed class PullApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:Mode"] = "Pull",
    ["Feed:TimelineCap"] = "10",
});
