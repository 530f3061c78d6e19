namespace Atrium.Server.Tests.Support;

/// <summary>An Atrium with the default target rules (no private targets), a blocklisted <c>evil.example</c> and an own host <c>atr.example</c>.</summary>
public sealed class TargetPolicyFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:BlockedHosts:0"] = "evil.example",
    ["Links:OwnHosts:0"] = "atr.example",
});
