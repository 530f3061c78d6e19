using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// The workload's operations on Atrium's public HTTP API, each recorded in a ledger (<see cref="RecordedHttp"/>).
/// Every write carries the operation's key in its content (the link's target, the post's text, the message's
/// clientMessageId), so the invariant checks can find its effect — and count its copies — afterwards.
/// </summary>
internal static class AtriumApi
{
    public const string LinkCreate = "link.create";
    public const string LinkRedirect = "link.redirect";
    public const string PostCreate = "post.create";
    public const string PostRead = "post.read";
    public const string FeedRead = "feed.read";
    public const string Follow = "user.follow";
    public const string SignUp = "user.sign-up";
    public const string ChatSend = "chat.send";

    /// <summary>The target a link created for <paramref name="key"/> points at.</summary>
    public static string TargetOf(string key) => $"https://example.com/faults/{key}";

    /// <summary>The text of the post created for <paramref name="key"/>.</summary>
    public static string PostTextOf(string key) => $"fault-injection post {key}";

    /// <summary>POST /api/v1/links; the ledger value is the code.</summary>
    public static Task<Answer> CreateLinkAsync(
        OperationLedger ledger, HttpClient client, TestUser user, string key, string? idempotencyKey, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, LinkCreate, key, client, () =>
            {
                var request = Authorized(HttpMethod.Post, "/api/v1/links", user);
                request.Content = JsonContent.Create(new { url = TargetOf(key) });
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }

                return request;
            },
            (_, body) => RecordedHttp.Property(body, "code"),
            cancellationToken);

    /// <summary>POST /api/v1/accounts for a fresh username (the ledger key); the ledger value is the username.</summary>
    public static Task<Answer> RegisterAsync(OperationLedger ledger, HttpClient client, string username, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, SignUp, username, client, () =>
            new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/accounts", UriKind.Relative))
            {
                Content = JsonContent.Create(new { username, password = TestUsers.Password }),
            },
            (_, _) => username,
            cancellationToken);

    /// <summary>Whether <paramref name="username"/> can sign in with the workload's password (not recorded).</summary>
    public static async Task<bool> CanSignInAsync(HttpClient client, string username, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync(
            new Uri("/api/v1/sessions", UriKind.Relative), new { username, password = TestUsers.Password }, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>GET /{code}; Ok on a redirect, the ledger value is the Location.</summary>
    public static Task<Answer> RedirectAsync(OperationLedger ledger, HttpClient client, string code, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, LinkRedirect, code, client,
            () => new HttpRequestMessage(HttpMethod.Get, new Uri("/" + code, UriKind.Relative)),
            (response, _) => response.Headers.Location?.ToString(),
            cancellationToken);

    /// <summary>POST /api/v1/posts; the ledger value is the post id.</summary>
    public static Task<Answer> CreatePostAsync(OperationLedger ledger, HttpClient client, TestUser user, string key, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, PostCreate, key, client, () =>
            {
                var request = Authorized(HttpMethod.Post, "/api/v1/posts", user);
                request.Content = JsonContent.Create(new { text = PostTextOf(key) });
                return request;
            },
            (_, body) => JsonDocument.Parse(body).RootElement.GetProperty("post").GetProperty("id").GetString(),
            cancellationToken);

    /// <summary>GET /api/v1/posts/{id}; the ledger value is the text.</summary>
    public static Task<Answer> ReadPostAsync(OperationLedger ledger, HttpClient client, TestUser reader, string id, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, PostRead, id, client,
            () => Authorized(HttpMethod.Get, $"/api/v1/posts/{id}", reader),
            (_, body) => JsonDocument.Parse(body).RootElement.GetProperty("post").GetProperty("text").GetString(),
            cancellationToken);

    /// <summary>GET /api/v1/feed; the ledger value is the ids of the first page, comma-separated.</summary>
    public static Task<Answer> ReadFeedAsync(OperationLedger ledger, HttpClient client, TestUser reader, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, FeedRead, reader.Username, client,
            () => Authorized(HttpMethod.Get, "/api/v1/feed?limit=40", reader),
            (_, body) => string.Join(',', JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("post").GetProperty("id").GetString())),
            cancellationToken);

    /// <summary>PUT /api/v1/users/{username}/follow.</summary>
    public static Task<Answer> FollowAsync(OperationLedger ledger, HttpClient client, TestUser follower, string followee, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, Follow, $"{follower.Username}->{followee}", client,
            () => Authorized(HttpMethod.Put, $"/api/v1/users/{followee}/follow", follower),
            (_, _) => null,
            cancellationToken);

    /// <summary>POST /api/v1/conversations/{id}/messages; the ledger value is the seq.</summary>
    public static Task<Answer> SendMessageAsync(
        OperationLedger ledger, HttpClient client, TestUser sender, string conversationId, string clientMessageId, CancellationToken cancellationToken) =>
        RecordedHttp.SendAsync(ledger, ChatSend, clientMessageId, client, () =>
            {
                var request = Authorized(HttpMethod.Post, $"/api/v1/conversations/{conversationId}/messages", sender);
                request.Content = JsonContent.Create(new { clientMessageId, text = MessageTextOf(clientMessageId) });
                return request;
            },
            (_, body) => RecordedHttp.Property(body, "seq"),
            cancellationToken);

    public static string MessageTextOf(string clientMessageId) => $"message {clientMessageId}";

    /// <summary>Set-up, not part of the ledger: a conversation of <paramref name="creator"/> with <paramref name="members"/>.</summary>
    public static async Task<string> CreateConversationAsync(
        HttpClient client, TestUser creator, IEnumerable<string> members, string? title, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, "/api/v1/conversations", creator);
        request.Content = JsonContent.Create(new { members = members.ToArray(), title });
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not create a conversation: {(int)response.StatusCode} {body}");
        }

        return RecordedHttp.Property(body, "id")!;
    }

    /// <summary>Set-up: a fresh user, signed in (retried: set-up is not what these tests measure).</summary>
    public static async Task<TestUser> SignUpAsync(HttpClient client, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TestUsers.SignUpAsync(client, cancellationToken);
            }
            catch (Exception ex) when (attempt < 5 && ex is HttpRequestException or InvalidOperationException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>GET with <paramref name="reader"/>'s token, not recorded (invariant checks read back this way).</summary>
    public static async Task<(int Status, string Body)> GetAsync(HttpClient client, TestUser reader, string path, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Get, path, reader);
        using var response = await client.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static HttpRequestMessage Authorized(HttpMethod method, string path, TestUser user)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        return request;
    }
}
