namespace Atrium.Server.Tests.Support;

/// <summary>An Atrium that refuses links to <c>evil.example</c> and knows <c>atr.example</c> as one of its own hosts.</summary>
public sealed class BlockedHostsFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:BlockedHosts:0"] = "evil.example",
    ["Links:OwnHosts:0"] = "atr.example",
});
