namespace Atrium.Links.Domain;

/// <summary>A short link as stored.</summary>
internal sealed record Link(
    long Id,
    string Code,
    string Url,
    bool Permanent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    long? MaxVisits,
    long Visits,
    DateTimeOffset? DisabledAt,
    long? OwnerId = null)
{
    /// <summary>Only the owner manages a link; an anonymous link has none, so nobody does.</summary>
    public bool IsOwnedBy(long? user) => OwnerId is not null && OwnerId == user;

    /// <summary>Why the link no longer redirects at <paramref name="now"/>, or null while it is live.</summary>
    public string? GoneReason(DateTimeOffset now) =>
        DisabledAt is not null ? "This link has been disabled."
        : ExpiresAt <= now ? "This link has expired."
        : Visits >= MaxVisits ? "This link has reached its visit limit."
        : null;
}
