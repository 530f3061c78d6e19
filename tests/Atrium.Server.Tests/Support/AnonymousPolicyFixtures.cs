namespace Atrium.Server.Tests.Support;

/// <summary>An Atrium where only signed-in users (or API keys) may create links.</summary>
public sealed class NoAnonymousLinksFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:AllowAnonymous"] = "false",
});

/// <summary>An Atrium that lets anonymous clients create 2 links in a burst, and signed-in users plenty.</summary>
public sealed class AnonymousLimitFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:AnonymousCreatePerMinute"] = "6",
    ["Links:AnonymousCreateBurst"] = "2",
});
