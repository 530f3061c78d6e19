using System.Buffers;

namespace Atrium.Links.Domain;

/// <summary>
/// Classifies a User-Agent header for click statistics. Runs once per click in the background
/// consumer, so it allocates nothing: one vectorised multi-substring search for bots, then a few
/// ordinal token checks for the browser family.
/// </summary>
internal static class UserAgentClassifier
{
    public static readonly ClientKind Bot = new(IsBot: true, BrowserFamily.Bot);

    /// <summary>Crawlers, link-preview fetchers and HTTP libraries, matched case-insensitively anywhere.</summary>
    private static readonly SearchValues<string> BotMarkers = SearchValues.Create(
        [
            "bot", "crawl", "spider", "slurp", "facebookexternalhit", "facebot", "whatsapp", "telegrambot",
            "slackbot", "discordbot", "twitterbot", "linkedinbot", "skypeuripreview", "embedly",
            "quora link preview", "pinterest", "vkshare", "redditbot", "applebot", "bingpreview",
            "google-inspectiontool", "headlesschrome", "phantomjs", "curl/", "wget/", "python-requests",
            "python-urllib", "aiohttp", "go-http-client", "java/", "okhttp", "libwww-perl", "httpclient",
            "axios/", "node-fetch", "postman",
        ],
        StringComparison.OrdinalIgnoreCase);

    public static ClientKind Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Bot;
        }

        var ua = userAgent.AsSpan();
        return ua.ContainsAny(BotMarkers) ? Bot : new ClientKind(IsBot: false, BrowserOf(ua));
    }

    /// <summary>
    /// The order matters: Edge, Opera and Samsung Internet also say "Chrome/" and "Safari/", and
    /// Chrome also says "Safari/", so the more specific tokens are tested first.
    /// </summary>
    private static string BrowserOf(ReadOnlySpan<char> ua)
    {
        if (Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") || Has(ua, "Edge/"))
        {
            return BrowserFamily.Edge;
        }

        if (Has(ua, "OPR/") || Has(ua, "Opera"))
        {
            return BrowserFamily.Opera;
        }

        if (Has(ua, "SamsungBrowser"))
        {
            return BrowserFamily.SamsungInternet;
        }

        if (Has(ua, "Firefox/") || Has(ua, "FxiOS"))
        {
            return BrowserFamily.Firefox;
        }

        if (Has(ua, "Chrome/") || Has(ua, "CriOS"))
        {
            return BrowserFamily.Chrome;
        }

        return Has(ua, "Safari/") ? BrowserFamily.Safari : BrowserFamily.Other;
    }

    private static bool Has(ReadOnlySpan<char> ua, string token) => ua.Contains(token, StringComparison.Ordinal);
}
