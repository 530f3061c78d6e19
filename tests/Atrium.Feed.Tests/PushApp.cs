using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app in push mode with celebrities from 2 followers: they are pushed anyway.</summary>
public sealed class PushApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:Mode"] = "Push",
    ["Feed:CelebrityThreshold"] = "2",
});
