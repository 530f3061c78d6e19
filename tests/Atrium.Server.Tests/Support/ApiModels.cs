namespace Atrium.Server.Tests.Support;

/// <summary>The body of <c>POST /api/v1/links</c> as a client writes it; null members are left out.</summary>
internal sealed record NewLink(string? Url, string? Alias = null, DateTimeOffset? ExpiresAt = null, long? MaxVisits = null, bool? Permanent = null);

/// <summary>A link as the API answers it (the wire contract, independent of the server's types).</summary>
internal sealed record LinkBody(
    string Code,
    string ShortUrl,
    string Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    long? MaxVisits,
    bool Permanent,
    DateTimeOffset? DisabledAt);

internal sealed record ProblemBody(string? Type, string? Title, int? Status, string? Detail);

internal sealed record StatsBody(
    string Code,
    int Days,
    long Total,
    long Humans,
    long Bots,
    IReadOnlyList<DayBody> PerDay,
    IReadOnlyList<ReferrerBody> TopReferrers,
    IReadOnlyList<BrowserBody> Browsers);

internal sealed record DayBody(DateOnly Date, long Clicks, long Humans, long Bots);

internal sealed record ReferrerBody(string Host, long Clicks);

internal sealed record BrowserBody(string Family, long Clicks);

internal sealed record LinkPageBody(IReadOnlyList<LinkBody> Items, string? NextCursor);
