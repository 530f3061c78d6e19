namespace Atrium.Links.Endpoints;

/// <summary>Clicks of one link over the last <c>Days</c> days (UTC), recorded within seconds of the redirect.</summary>
public sealed record LinkStatsResponse(
    string Code,
    int Days,
    long Total,
    long Humans,
    long Bots,
    IReadOnlyList<DailyClicks> PerDay,
    IReadOnlyList<ReferrerClicks> TopReferrers,
    IReadOnlyList<BrowserClicks> Browsers);

public sealed record DailyClicks(DateOnly Date, long Clicks, long Humans, long Bots);

public sealed record ReferrerClicks(string Host, long Clicks);

public sealed record BrowserClicks(string Family, long Clicks);
