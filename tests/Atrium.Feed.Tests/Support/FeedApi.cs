using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using Atrium.Testing;

namespace Atrium.Feed.Tests.Support;

/// <summary>The feed API as the tests call it.</summary>
internal static class FeedApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Uri Relative(string path) => new(path, UriKind.Relative);

    public static Task<HttpResponseMessage> PostTextAsync(this FeedUser user, string? text) =>
        user.Client.PostAsJsonAsync(Relative("/api/v1/posts"), new { text }, Ct);

    public static async Task<ItemBody> PostAsync(this FeedUser user, string text)
    {
        using var response = await user.PostTextAsync(text);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync<ItemBody>(response);
    }

    public static async Task<HttpStatusCode> SendAsync(this FeedUser user, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, Relative(path));
        using var response = await user.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    public static async Task FollowAsync(this FeedUser user, FeedUser other) =>
        Assert.Equal(HttpStatusCode.NoContent, await user.SendAsync(HttpMethod.Put, $"/api/v1/users/{other.Username}/follow"));

    public static async Task UnfollowAsync(this FeedUser user, FeedUser other) =>
        Assert.Equal(HttpStatusCode.NoContent, await user.SendAsync(HttpMethod.Delete, $"/api/v1/users/{other.Username}/follow"));

    public static async Task BlockAsync(this FeedUser user, FeedUser other) =>
        Assert.Equal(HttpStatusCode.NoContent, await user.SendAsync(HttpMethod.Put, $"/api/v1/users/{other.Username}/block"));

    public static async Task<FeedBody> FeedAsync(this FeedUser user, int? limit = null, string? cursor = null, string? since = null)
    {
        var query = new List<string>();
        if (limit is not null)
        {
            query.Add($"limit={limit}");
        }

        if (cursor is not null)
        {
            query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        }

        if (since is not null)
        {
            query.Add($"since={since}");
        }

        return await user.GetAsync<FeedBody>("/api/v1/feed" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
    }

    /// <summary>Every page of the home timeline, following nextCursor.</summary>
    public static async Task<List<ItemBody>> WholeFeedAsync(this FeedUser user, int limit = 40)
    {
        var items = new List<ItemBody>();
        string? cursor = null;
        do
        {
            var page = await user.FeedAsync(limit, cursor);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return items;
    }

    /// <summary>Reads the home timeline (which marks the user active) until it is no longer regenerating.</summary>
    public static Task<FeedBody> ActivateAsync(this FeedUser user) =>
        Eventually.ReachesAsync(() => user.FeedAsync(), page => !page.Regenerating, $"{user.Username}'s timeline to be built");

    /// <summary>Waits until the first page of the user's timeline satisfies <paramref name="done"/>.</summary>
    public static Task<FeedBody> FeedEventuallyAsync(this FeedUser user, Func<FeedBody, bool> done, string what) =>
        Eventually.ReachesAsync(() => user.FeedAsync(), done, what);

    public static async Task<T> GetAsync<T>(this FeedUser user, string path)
    {
        using var response = await user.Client.GetAsync(Relative(path), Ct);
        return await ReadAsync<T>(response);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<ProblemBody> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json)!;
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), $"The problem has no detail: {text}");
        return problem;
    }

    public static async Task<ProblemBody> GetProblemAsync(this FeedUser user, string path, HttpStatusCode status)
    {
        using var response = await user.Client.GetAsync(Relative(path), Ct);
        return await ProblemAsync(response, status);
    }

    public static List<string> Texts(this IEnumerable<ItemBody> items) => [.. items.Select(i => i.Post.Text)];
}
