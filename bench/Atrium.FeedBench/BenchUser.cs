using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atrium.FeedBench;

/// <summary>A signed-up user of the benchmarked Atrium and the bearer token it sends.</summary>
internal sealed record BenchUser(string Username, string Token)
{
    public HttpRequestMessage Request(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    public static async Task<BenchUser> SignUpAsync(HttpClient http, string username, CancellationToken cancellationToken)
    {
        const string password = "correct horse battery staple";
        using (var created = await http.PostAsJsonAsync(new Uri("/api/v1/accounts", UriKind.Relative), new { username, password }, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        using var session = await http.PostAsJsonAsync(new Uri("/api/v1/sessions", UriKind.Relative), new { username, password }, cancellationToken);
        session.EnsureSuccessStatusCode();
        var body = await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new BenchUser(username, body.GetProperty("accessToken").GetString()!);
    }

    public async Task SendAsync(HttpClient http, HttpMethod method, string path, CancellationToken cancellationToken, object? body = null)
    {
        using var request = Request(method, path, body);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetJsonAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
