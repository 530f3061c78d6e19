using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app whose celebrities start at 3 followers and stop below 2 (hysteresis 0.5).</summary>
public sealed class CelebrityApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:CelebrityThreshold"] = "3",
    ["Feed:CelebrityHysteresis"] = "0.5",
});
