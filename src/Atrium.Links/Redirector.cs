using Atrium.Links.Data;
using Atrium.Links.Domain;
using Atrium.Links.Events;
using Atrium.Links.Guessing;

namespace Atrium.Links;

/// <summary>
/// Decides where a code leads, the hottest path of the system: one cache lookup, a click appended to
/// an in-memory buffer. Only links with a visit limit touch the database per visit. One singleton
/// holding its collaborators, so a request resolves one service, not six.
/// </summary>
internal sealed class Redirector(
    LinkCache cache, LinkStore store, ClickBuffer clicks, GuessThrottle guesses, LinksMetrics metrics, TimeProvider time)
{
    /// <summary>The short-code guessing throttle every redirect and preview passes.</summary>
    public GuessThrottle Guesses => guesses;

    /// <summary>Follows <paramref name="code"/>; a click is counted when <paramref name="countClick"/> (GET, not HEAD).</summary>
    public async ValueTask<RedirectOutcome> FollowAsync(string code, bool countClick, string? referer, string? userAgent, CancellationToken cancellationToken)
    {
        if (!AliasRules.IsWellFormed(code) || await cache.GetAsync(code, cancellationToken) is not { } target)
        {
            return RedirectOutcome.NotFound;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (target.Disabled)
        {
            return RedirectOutcome.Gone("This link has been disabled.");
        }

        if (target.ExpiresAtMs <= now)
        {
            return RedirectOutcome.Gone("This link has expired.");
        }

        if (target.Limited && !(countClick ? await store.TryCountVisitAsync(code, cancellationToken) : await store.VisitsLeftAsync(code, cancellationToken) > 0))
        {
            return RedirectOutcome.Gone("This link has reached its visit limit.");
        }

        if (countClick)
        {
            clicks.Add(new Click(code, now, referer, userAgent));
            metrics.Redirects.Add(1);
        }

        return RedirectOutcome.To(target);
    }
}
