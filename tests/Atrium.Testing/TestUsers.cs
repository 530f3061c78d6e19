using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atrium.Testing;

/// <summary>Makes users through the public API, as a person or a script would.</summary>
public static class TestUsers
{
    public const string Password = "correct horse battery staple";

    /// <summary>Registers a fresh user and signs in.</summary>
    public static async Task<TestUser> SignUpAsync(HttpClient client, CancellationToken cancellationToken, string? username = null)
    {
        username ??= $"u{Guid.NewGuid():N}"[..20];
        using (var created = await client.PostAsJsonAsync(new Uri("/api/v1/accounts", UriKind.Relative), new { username, password = Password }, cancellationToken))
        {
            await EnsureAsync(created, "sign up", cancellationToken);
        }

        using var session = await client.PostAsJsonAsync(new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = Password }, cancellationToken);
        await EnsureAsync(session, "sign in", cancellationToken);
        var body = await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new TestUser(username, body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Registers a fresh user and gives them an API key (which does not expire, unlike an access token).</summary>
    public static async Task<string> ApiKeyOfNewUserAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var user = await SignUpAsync(client, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/api-keys", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = "tests" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "create an API key", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
    }

    /// <summary>Sends <paramref name="apiKey"/> with every request of <paramref name="client"/>.</summary>
    public static HttpClient WithApiKey(this HttpClient client, string apiKey)
    {
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Sends <paramref name="user"/>'s access token with every request of <paramref name="client"/>.</summary>
    public static HttpClient As(this HttpClient client, TestUser user)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        return client;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}

/// <summary>A signed-up user and their session.</summary>
public sealed record TestUser(string Username, string AccessToken, string RefreshToken);
