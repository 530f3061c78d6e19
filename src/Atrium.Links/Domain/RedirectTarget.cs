using System.ComponentModel;

namespace Atrium.Links.Domain;

/// <summary>
/// What the redirect needs to know about a code, as cached. Immutable and sealed, so HybridCache hands
/// out the same instance on an L1 hit instead of deserializing a copy per request.
/// </summary>
[ImmutableObject(true)]
internal sealed record RedirectTarget(string Url, bool Permanent, long? ExpiresAtMs, bool Limited, bool Disabled)
{
    public static RedirectTarget From(Link link) => new(
        link.Url, link.Permanent, link.ExpiresAt?.ToUnixTimeMilliseconds(), link.MaxVisits is not null, link.DisabledAt is not null);
}
