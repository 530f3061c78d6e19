using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app whose home timelines keep 10 posts.</summary>
public sealed class CappedApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:TimelineCap"] = "10",
});
