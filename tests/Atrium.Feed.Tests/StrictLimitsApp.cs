using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>An app that lets a user post 2 times in a burst and change follows 2 times in a burst.</summary>
public sealed class StrictLimitsApp() : FeedApp(new Dictionary<string, string?>
{
    ["Feed:PostsPerMinute"] = "1",
    ["Feed:PostsBurst"] = "2",
    ["Feed:FollowChangesPerMinute"] = "1",
    ["Feed:FollowChangesBurst"] = "2",
});
