using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atrium.Lab.Systems;

/// <summary>The Atrium API calls experiments make to set up their data: accounts, sessions and links, as any client would.</summary>
internal static class LinkClient
{
    public const string Password = "correct horse battery staple";

    /// <summary>A client for an Atrium that does not follow redirects (a redirect is the answer being measured).</summary>
    public static HttpClient Create(Uri server, int maxConnections = 256) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Creates a link to <paramref name="url"/> (anonymously, or as the bearer of <paramref name="accessToken"/>) and returns its code.</summary>
    public static async Task<string> CreateLinkAsync(HttpClient http, string url, CancellationToken cancellationToken, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/links", UriKind.Relative)) { Content = JsonContent.Create(new { url }) };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "create a link", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("code").GetString()!;
    }

    /// <summary>Registers a fresh user, signs in and returns the access token.</summary>
    public static async Task<string> SignUpAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var username = $"lab{Guid.NewGuid():N}"[..20];
        using (var created = await http.PostAsJsonAsync(new Uri("/api/v1/accounts", UriKind.Relative), new { username, password = Password }, cancellationToken))
        {
            await EnsureAsync(created, "sign up", cancellationToken);
        }

        using var session = await http.PostAsJsonAsync(new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = Password }, cancellationToken);
        await EnsureAsync(session, "sign in", cancellationToken);
        return (await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString()!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            throw new InvalidOperationException(
                $"Could not {what}: the server rate-limits it (429). A --target Atrium must let the Lab set up its data: raise " +
                "Links:AnonymousCreatePerMinute / Links:AnonymousCreateBurst (and Accounts:RegistrationsPerHour) on it, as the Lab does for the servers it starts.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
