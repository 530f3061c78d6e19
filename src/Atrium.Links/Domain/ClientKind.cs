namespace Atrium.Links.Domain;

/// <summary>Who followed a link: a bot or preview fetcher, or a person and their browser family.</summary>
/// <param name="IsBot">True for crawlers, link-preview fetchers, HTTP libraries and a missing User-Agent.</param>
/// <param name="Browser">One of the <see cref="BrowserFamily"/> names; <see cref="BrowserFamily.Bot"/> for bots.</param>
internal readonly record struct ClientKind(bool IsBot, string Browser);
