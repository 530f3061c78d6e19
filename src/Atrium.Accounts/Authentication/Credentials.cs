using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Atrium.Accounts.Authentication;

/// <summary>Where a request carries credentials: <c>Authorization: Bearer</c> (access token) or <c>X-Api-Key</c>.</summary>
internal static class Credentials
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string BearerPrefix = "Bearer ";

    /// <summary>True when the request carries any credential, valid or not.</summary>
    public static bool Presented(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization) || request.Headers.ContainsKey(ApiKeyHeader);

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[BearerPrefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
