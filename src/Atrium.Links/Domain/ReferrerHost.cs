namespace Atrium.Links.Domain;

/// <summary>The referrer dimension of click statistics: the host a click came from.</summary>
internal static class ReferrerHost
{
    /// <summary>What a click without a usable Referer is counted under.</summary>
    public const string Direct = "(direct)";

    /// <summary>
    /// The lower-case host (without trailing dot) of an absolute http or https Referer; otherwise
    /// <see cref="Direct"/>, as for a missing, relative, malformed or non-web Referer.
    /// </summary>
    public static string From(string? referer)
    {
        if (string.IsNullOrWhiteSpace(referer)
            || !Uri.TryCreate(referer, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Direct;
        }

        var host = uri.Host.TrimEnd('.');
        return host.Length == 0 ? Direct : host.ToLowerInvariant();
    }
}
