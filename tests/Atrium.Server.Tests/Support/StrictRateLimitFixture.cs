namespace Atrium.Server.Tests.Support;

/// <summary>An Atrium that lets a client create 6 links a minute, in bursts of at most 3.</summary>
public sealed class StrictRateLimitFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:CreatePerMinute"] = "6",
    ["Links:CreateBurst"] = "3",
});
