using Atrium.Links.Domain;

namespace Atrium.Links.Data;

/// <summary>A <c>links_links</c> row as both dialects return it (integers as 64-bit, times as unix ms).</summary>
internal sealed record LinkRow(
    string Code, string Url, long Permanent, long CreatedAt, long? ExpiresAt, long? MaxVisits, long Visits, long? DisabledAt)
{
    public const string Columns =
        "code, url, permanent, created_at AS CreatedAt, expires_at AS ExpiresAt, max_visits AS MaxVisits, visits, disabled_at AS DisabledAt";

    public Link ToLink() => new(
        Code, Url, Permanent != 0, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null, MaxVisits, Visits,
        DisabledAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null);
}
