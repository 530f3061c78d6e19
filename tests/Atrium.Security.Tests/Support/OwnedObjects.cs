using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Testing;
using Xunit;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// What one user owns: a link (with a visit, so it has stats), a post, an API key, a group conversation
/// with a third user and one message (nobody else is a member of it).
/// </summary>
public sealed record OwnedObjects(string LinkCode, string PostId, string ApiKeyId, string ConversationId, long MessageSeq)
{
    public static async Task<OwnedObjects> MakeAsync(HttpClient owner, HttpClient anonymous, CancellationToken ct)
    {
        var link = await PostAsync(owner, "/api/v1/links", new { url = $"https://example.com/owned/{Guid.NewGuid():N}" }, ct);
        var post = await PostAsync(owner, "/api/v1/posts", new { text = "an owned post" }, ct);
        var key = await PostAsync(owner, "/api/v1/api-keys", new { name = "owned" }, ct);

        // A third user, so the conversation is a group the stranger is not in.
        var third = await TestUsers.SignUpAsync(anonymous, ct);
        var conversation = await PostAsync(owner, "/api/v1/conversations", new { members = new[] { third.Username }, title = "owned" }, ct);
        var conversationId = conversation.GetProperty("id").GetString()!;
        var sent = await PostAsync(owner, $"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "owned" }, ct);
        return new OwnedObjects(
            link.GetProperty("code").GetString()!,
            post.GetProperty("post").GetProperty("id").GetString()!,
            key.GetProperty("id").GetString()!,
            conversationId,
            sent.GetProperty("seq").GetInt64());
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
