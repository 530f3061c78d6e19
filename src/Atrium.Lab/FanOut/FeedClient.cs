using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Lab.Systems;

namespace Atrium.Lab.FanOut;

/// <summary>The feed API calls of the <c>fanout</c> experiment, made as any client would (bearer tokens).</summary>
internal static class FeedClient
{
    /// <summary>Registers <paramref name="username"/>, signs in and returns the access token.</summary>
    public static async Task<string> SignUpAsync(HttpClient http, string username, CancellationToken cancellationToken)
    {
        using (var created = await http.PostAsJsonAsync(new Uri("/api/v1/accounts", UriKind.Relative), new { username, password = LinkClient.Password }, cancellationToken))
        {
            await EnsureAsync(created, $"sign up {username}", cancellationToken);
        }

        using var session = await http.PostAsJsonAsync(new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = LinkClient.Password }, cancellationToken);
        await EnsureAsync(session, $"sign in {username}", cancellationToken);
        return (await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Publishes a post and returns its id.</summary>
    public static async Task<long> PostAsync(HttpClient http, string token, string text, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "/api/v1/posts", token);
        request.Content = JsonContent.Create(new { text });
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "post", cancellationToken);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("post").GetProperty("id").GetString()!;
        return long.Parse(id, CultureInfo.InvariantCulture);
    }

    public static async Task FollowAsync(HttpClient http, string token, string username, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, $"/api/v1/users/{username}/follow", token);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"follow {username}", cancellationToken);
    }

    /// <summary>The first page of the home timeline: its post ids, newest first, and whether it is being rebuilt.</summary>
    public static async Task<(List<long> PostIds, bool Regenerating)> ReadFeedAsync(HttpClient http, string token, int limit, CancellationToken cancellationToken)
    {
        using var response = await SendReadAsync(http, token, limit, cancellationToken);
        await EnsureAsync(response, "read the feed", cancellationToken);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var ids = page.GetProperty("items").EnumerateArray()
            .Select(item => long.Parse(item.GetProperty("post").GetProperty("id").GetString()!, CultureInfo.InvariantCulture))
            .ToList();
        return (ids, page.GetProperty("regenerating").GetBoolean());
    }

    /// <summary><c>GET /api/v1/feed?limit=</c> as <paramref name="token"/>'s user; the caller reads and disposes the answer.</summary>
    public static async Task<HttpResponseMessage> SendReadAsync(HttpClient http, string token, int limit, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"/api/v1/feed?limit={limit}"), token);
        return await http.SendAsync(request, cancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
