using System.Collections.Frozen;

namespace Atrium.Links.Domain;

/// <summary>
/// Path segments that Atrium itself uses or may use at the root (routes, static files, well-known
/// files), so a custom alias can never shadow them. Compared case-insensitively.
/// </summary>
internal static class ReservedWords
{
    public static FrozenSet<string> All { get; } = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "api", "admin", "alive", "health", "metrics", "openapi", "scalar", "docs", "static", "assets",
        "app", "login", "logout", "signup", "signin", "account", "accounts", "settings", "feed", "chat",
        "ws", "www", "about", "help", "robots", "sitemap", "favicon", "status", "links");

    public static bool Contains(string word) => All.Contains(word);
}
