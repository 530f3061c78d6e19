using Atrium.Links.Domain;

namespace Atrium.Links.Events;

/// <summary>
/// Folds a batch of raw clicks into counts per link, hour, referrer host, browser family and
/// bot/human. Clicks repeat their user agents and referrers heavily, so each distinct string is
/// classified once per batch.
/// </summary>
internal sealed class ClickAggregation
{
    private readonly Dictionary<string, ClientKind> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _referrers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Code, long Hour, string Referrer, string Browser, bool IsBot), long> _counts = [];

    public void Add(in Click click)
    {
        var kind = Classify(click.UserAgent);
        var key = (click.Code, click.AtMs / 3_600_000 * 3600, ReferrerOf(click.Referer), kind.Browser, kind.IsBot);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>The counts so far, as one event; then starts over.</summary>
    public ClicksRecorded Drain()
    {
        var counts = _counts.Select(c => new ClickCount(c.Key.Code, c.Key.Hour, c.Key.Referrer, c.Key.Browser, c.Key.IsBot, c.Value)).ToList();
        _counts.Clear();
        _kinds.Clear();
        _referrers.Clear();
        return new ClicksRecorded(counts);
    }

    private ClientKind Classify(string? userAgent)
    {
        if (userAgent is null)
        {
            return UserAgentClassifier.Classify(null);
        }

        if (!_kinds.TryGetValue(userAgent, out var kind))
        {
            _kinds[userAgent] = kind = UserAgentClassifier.Classify(userAgent);
        }

        return kind;
    }

    private string ReferrerOf(string? referer)
    {
        if (referer is null)
        {
            return ReferrerHost.From(null);
        }

        if (!_referrers.TryGetValue(referer, out var host))
        {
            _referrers[referer] = host = ReferrerHost.From(referer);
        }

        return host;
    }
}
