namespace Atrium.Links.Domain;

/// <summary>What following a code comes to: a redirect, "no such link", or "gone" with the reason.</summary>
internal readonly record struct RedirectOutcome(RedirectOutcome.Kind Result, string? Url = null, bool Permanent = false, string? Reason = null)
{
    public enum Kind
    {
        Redirect,
        NotFound,
        Gone,
    }

    public static readonly RedirectOutcome NotFound = new(Kind.NotFound);

    public static RedirectOutcome Gone(string reason) => new(Kind.Gone, Reason: reason);

    public static RedirectOutcome To(RedirectTarget target) => new(Kind.Redirect, target.Url, target.Permanent);
}
