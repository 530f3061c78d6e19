using Atrium.Feed.Tests.Support;

namespace Atrium.Feed.Tests;

/// <summary>
/// An app whose consumers give up after two quick attempts: an outage of a few seconds outlasts its retries, as one
/// of ten minutes outlasts the default eight. What a consumer does once its retries are spent is the same.
/// </summary>
public sealed class ShortRetryApp() : FeedApp(new Dictionary<string, string?>
{
    ["Atrium:Messaging:MaxAttempts"] = "2",
    ["Atrium:Messaging:RetryBaseDelay"] = "00:00:00.100",
    ["Atrium:Messaging:RetryMaxDelay"] = "00:00:00.200",
});
