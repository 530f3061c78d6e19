using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Testing;
using Xunit;

namespace Atrium.Browser.Tests.Support;

/// <summary>
/// Sets the Feed's scene through its public API (people with display names, posts, follows), so the browser
/// tests spend their time on what the page does with it.
/// </summary>
internal static class FeedApi
{
    /// <summary>Registers <paramref name="username"/> with a display name and signs in.</summary>
    public static async Task<TestUser> SignUpAsync(HttpClient client, string username, string displayName, CancellationToken cancellationToken)
    {
        using (var created = await client.PostAsJsonAsync(
            new Uri("/api/v1/accounts", UriKind.Relative), new { username, password = TestUsers.Password, displayName }, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var session = await client.PostAsJsonAsync(
            new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = TestUsers.Password }, cancellationToken);
        Assert.True(session.IsSuccessStatusCode, $"sign in: {(int)session.StatusCode}");
        var body = await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new TestUser(username, body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Posts <paramref name="text"/> as the client's user; returns the new post's id.</summary>
    public static async Task<string> PostAsync(HttpClient client, string text, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/posts", UriKind.Relative), new { text }, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"post: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var item = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return item.GetProperty("post").GetProperty("id").GetString()!;
    }

    public static async Task FollowAsync(HttpClient client, string username, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsync(new Uri($"/api/v1/users/{username}/follow", UriKind.Relative), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>
    /// Waits until the client's home timeline holds <paramref name="count"/> posts: fan-out runs on workers, so a
    /// post reaches followers' timelines shortly after it is written, not in the same request.
    /// </summary>
    public static async Task WaitForTimelineAsync(HttpClient client, int count, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var seen = 0;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var page = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/feed?limit=40", UriKind.Relative), cancellationToken);
            seen = page.GetProperty("items").GetArrayLength();
            if (seen >= count && !page.GetProperty("regenerating").GetBoolean())
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"The home timeline held {seen} posts after 60 s; expected {count}.");
    }
}
