using Atrium.Links.Domain;

namespace Atrium.Links.Data;

/// <summary>A <c>links_links</c> row as both dialects return it (integers as 64-bit, times as unix ms).</summary>
internal sealed record LinkRow(
    long Id, string Code, string Url, long Permanent, long CreatedAt, long? ExpiresAt, long? MaxVisits, long Visits, long? DisabledAt, long? OwnerId)
{
    public const string Columns =
        "id, code, url, permanent, created_at AS CreatedAt, expires_at AS ExpiresAt, max_visits AS MaxVisits, visits, disabled_at AS DisabledAt, owner_id AS OwnerId";

    public Link ToLink() => new(
        Id, Code, Url, Permanent != 0, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null, MaxVisits, Visits,
        DisabledAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, OwnerId);
}
