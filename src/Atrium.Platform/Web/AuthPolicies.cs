namespace Atrium.Platform.Web;

/// <summary>
/// Authorization policy names every module uses; the Accounts module defines them (which credentials
/// count, how they are checked), so no module needs to know Accounts' internals. Nothing authenticates
/// a request whose endpoint names no policy: the redirect pays nothing for accounts.
/// </summary>
public static class AuthPolicies
{
    /// <summary>A signed-in user, by access token (<c>Authorization: Bearer</c>) or API key (<c>X-Api-Key</c>); else 401.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Reads the credentials when present (a bad one is still 401) but lets anonymous callers through.</summary>
    public const string SignedInOrAnonymous = "signed-in-or-anonymous";
}
