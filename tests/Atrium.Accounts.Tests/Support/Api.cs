using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Atrium.Accounts.Tests.Support;

/// <summary>The accounts API over HTTP, as a client would call it.</summary>
internal static class Api
{
    public const string Password = "tulip-marble-canyon-42";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Uri Relative(string path) => new(path, UriKind.Relative);

    /// <summary>A fresh, valid username (u + 19 hex digits).</summary>
    public static string NewUsername() => $"u{Guid.NewGuid():N}"[..20];

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(Relative(path), body, Ct);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(Relative(path), new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string username, string password = Password, string? displayName = null) =>
        client.PostJsonAsync("/api/v1/accounts", displayName is null ? new { username, password } : new { username, password, displayName });

    public static async Task<AccountBody> RegisterOkAsync(this HttpClient client, string? username = null, string password = Password)
    {
        using var response = await client.RegisterAsync(username ?? NewUsername(), password);
        return await ReadAsync<AccountBody>(response, HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string username, string password = Password) =>
        client.PostJsonAsync("/api/v1/sessions", new { username, password });

    public static async Task<SessionBody> SignInOkAsync(this HttpClient client, string username, string password = Password)
    {
        using var response = await client.SignInAsync(username, password);
        return await ReadAsync<SessionBody>(response, HttpStatusCode.OK);
    }

    /// <summary>Registers a new user and signs in.</summary>
    public static async Task<(AccountBody Account, SessionBody Session)> NewUserAsync(this HttpClient client)
    {
        var account = await client.RegisterOkAsync();
        return (account, await client.SignInOkAsync(account.Username));
    }

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string refreshToken) =>
        client.PostJsonAsync("/api/v1/sessions/refresh", new { refreshToken });

    public static Task<HttpResponseMessage> SignOutAsync(this HttpClient client, string refreshToken) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, Relative("/api/v1/sessions")) { Content = JsonContent.Create(new { refreshToken }) }, Ct);

    /// <summary>A request with an access token (<paramref name="token"/>) or none.</summary>
    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? token = null, string? apiKey = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, Relative(path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request, Ct);
    }

    public static Task<HttpResponseMessage> MeAsync(this HttpClient client, string? token = null, string? apiKey = null) =>
        client.SendAsync(HttpMethod.Get, "/api/v1/me", token, apiKey);

    public static async Task<AccountBody> MeOkAsync(this HttpClient client, string? token = null, string? apiKey = null)
    {
        using var response = await client.MeAsync(token, apiKey);
        return await ReadAsync<AccountBody>(response, HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> CreateKeyAsync(this HttpClient client, string token, string name = "script") =>
        client.SendAsync(HttpMethod.Post, "/api/v1/api-keys", token, body: new { name });

    public static async Task<CreatedKeyBody> CreateKeyOkAsync(this HttpClient client, string token, string name = "script")
    {
        using var response = await client.CreateKeyAsync(token, name);
        return await ReadAsync<CreatedKeyBody>(response, HttpStatusCode.Created);
    }

    public static async Task<KeyListBody> ListKeysAsync(this HttpClient client, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, "/api/v1/api-keys", token);
        return await ReadAsync<KeyListBody>(response, HttpStatusCode.OK);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Checks the answer is <c>application/problem+json</c> with the status and a detail; returns it.</summary>
    public static async Task<ProblemBody> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Expected application/problem+json, got '{response.Content.Headers.ContentType}': {text}");
        var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json)!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), $"The problem has no detail: {text}");
        return problem;
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync(Ct);
}
