using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app with fan-out batches of 2 followers and celebrities from 6 followers (no hysteresis band).</summary>
public sealed class FanOutApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:BatchSize"] = "2",
    ["Feed:CelebrityThreshold"] = "6",
    ["Feed:CelebrityHysteresis"] = "1",
});
