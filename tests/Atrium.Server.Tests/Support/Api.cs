using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atrium.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Atrium.Server.Tests.Support;

/// <summary>Small helpers over the Atrium HTTP API, for the tests.</summary>
internal static class Api
{
    public const string LinksPath = "/api/v1/links";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static HttpClient CreateApiClient(this AtriumApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static Uri Relative(string path) => new(path, UriKind.Relative);

    public static string Serialize(NewLink link) => JsonSerializer.Serialize(link, Json);

    public static Task<HttpResponseMessage> PostLinkAsync(this HttpClient client, NewLink link, string? idempotencyKey = null) =>
        client.PostRawAsync(Serialize(link), idempotencyKey: idempotencyKey);

    public static Task<HttpResponseMessage> PostRawAsync(
        this HttpClient client, string body, string contentType = "application/json", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Relative(LinksPath))
        {
            Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a link and checks the answer is 201; returns the body.</summary>
    public static async Task<LinkBody> CreateLinkAsync(this HttpClient client, NewLink link)
    {
        using var response = await client.PostLinkAsync(link);
        return await ReadCreatedAsync(response);
    }

    public static Task<LinkBody> CreateLinkAsync(this HttpClient client, string url, string? alias = null) =>
        client.CreateLinkAsync(new NewLink(url, alias));

    public static async Task<LinkBody> ReadCreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<LinkBody>(text, Json)!;
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Checks the answer is <c>application/problem+json</c> with the status and a detail; returns it.</summary>
    public static async Task<ProblemBody> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Expected application/problem+json, got '{response.Content.Headers.ContentType}': {text}");
        var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json)!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), $"The problem has no detail: {text}");
        return problem;
    }

    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? userAgent = null, string? referrer = null)
    {
        var request = new HttpRequestMessage(method, Relative(path));
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (referrer is not null)
        {
            request.Headers.TryAddWithoutValidation("Referer", referrer);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> GetPathAsync(this HttpClient client, string path) =>
        client.GetAsync(Relative(path), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> DeletePathAsync(this HttpClient client, string path) =>
        client.DeleteAsync(Relative(path), TestContext.Current.CancellationToken);

    /// <summary>The raw Location header (HttpClient's parsed one is a normalised <see cref="Uri"/>).</summary>
    public static string? Location(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.Single() : null;

    public static Task<string> TextAsync(this HttpResponseMessage response) =>
        response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    public static async Task<LinkBody> GetLinkAsync(this HttpClient client, string code)
    {
        using var response = await client.GetPathAsync($"{LinksPath}/{code}");
        return await ReadJsonAsync<LinkBody>(response);
    }

    public static async Task<StatsBody> GetStatsAsync(this HttpClient client, string code)
    {
        using var response = await client.GetPathAsync($"{LinksPath}/{code}/stats");
        return await ReadJsonAsync<StatsBody>(response);
    }
}
