namespace Atrium.Server.Tests.Support;

/// <summary>An intranet Atrium: <c>Links:AllowPrivateTargets</c> is on, and <c>evil.example</c> is still blocklisted.</summary>
public sealed class IntranetFixture() : AppFixture(new Dictionary<string, string?>
{
    ["Links:AllowPrivateTargets"] = "true",
    ["Links:BlockedHosts:0"] = "evil.example",
});
