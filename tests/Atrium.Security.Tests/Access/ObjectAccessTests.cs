using System.Net;
using Atrium.Security.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Security.Tests.Access;

/// <summary>
/// Every object endpoint: the owner (or member) gets the object; another signed-in user gets 404 — the same answer as
/// for an object that does not exist, never the object and never 403 (DESIGN.md §3, Accounts); nobody (no token) gets
/// 401. Each answer is ProblemDetails, and the stranger's attempts change nothing.
/// </summary>
public sealed class ObjectAccessTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    [Fact]
    public async Task A_link_its_stats_and_its_management_are_the_owners_only()
    {
        var code = fixture.World.LinkCode;
        using var owner = fixture.CreateClient(fixture.Owner);
        using var stranger = fixture.CreateClient(fixture.Stranger);
        using var anonymous = fixture.CreateAnonymousClient();
        const string Secret = "https://example.com/owned/";

        Assert.Contains(Secret, await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/links/{code}", HttpStatusCode.OK), StringComparison.Ordinal);
        await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/links/{code}/stats", HttpStatusCode.OK);

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/api/v1/links/{code}", null),
            (HttpMethod.Get, $"/api/v1/links/{code}/stats", null),
            (HttpMethod.Get, $"/api/v1/links/{code}/stats?days=7", null),
            (Patch, $"/api/v1/links/{code}", new { url = "https://evil.example/" }),
            (HttpMethod.Delete, $"/api/v1/links/{code}", null),
        })
        {
            await stranger.ExpectAsync(method, path, HttpStatusCode.NotFound, body, Secret);
            await anonymous.ExpectAsync(method, path, HttpStatusCode.Unauthorized, body, Secret);
        }

        Assert.DoesNotContain(code, await stranger.ExpectAsync(HttpMethod.Get, "/api/v1/links", HttpStatusCode.OK), StringComparison.Ordinal);
        var after = await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/links/{code}", HttpStatusCode.OK);
        Assert.Contains(Secret, after, StringComparison.Ordinal); // not hijacked
        Assert.Contains("\"disabledAt\":null", after, StringComparison.Ordinal); // not disabled
    }

    [Fact]
    public async Task A_post_is_deleted_only_by_its_author_and_hidden_from_whom_they_block()
    {
        var id = fixture.World.PostId;
        using var owner = fixture.CreateClient(fixture.Owner);
        using var stranger = fixture.CreateClient(fixture.Stranger);
        using var anonymous = fixture.CreateAnonymousClient();

        // Posts are public to signed-in users; deleting is the author's.
        await stranger.ExpectEventuallyAsync(HttpMethod.Get, $"/api/v1/posts/{id}", HttpStatusCode.OK);
        await stranger.ExpectAsync(HttpMethod.Delete, $"/api/v1/posts/{id}", HttpStatusCode.NotFound);
        await anonymous.ExpectAsync(HttpMethod.Get, $"/api/v1/posts/{id}", HttpStatusCode.Unauthorized);
        await anonymous.ExpectAsync(HttpMethod.Delete, $"/api/v1/posts/{id}", HttpStatusCode.Unauthorized);
        await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/posts/{id}", HttpStatusCode.OK);

        // Whom the author blocks sees neither the post nor the author's posts, nor can follow them.
        var blockedUser = await TestUsers.SignUpAsync(anonymous, TestContext.Current.CancellationToken);
        using var blocked = fixture.CreateClient(blockedUser);
        await owner.ExpectAsync(HttpMethod.Put, $"/api/v1/users/{blockedUser.Username}/block", HttpStatusCode.NoContent);
        await blocked.ExpectEventuallyAsync(HttpMethod.Get, $"/api/v1/posts/{id}", HttpStatusCode.NotFound, secret: "an owned post");
        await blocked.ExpectEventuallyAsync(HttpMethod.Get, $"/api/v1/users/{fixture.Owner.Username}/posts", HttpStatusCode.NotFound, secret: "an owned post");
        await blocked.ExpectAsync(HttpMethod.Put, $"/api/v1/users/{fixture.Owner.Username}/follow", HttpStatusCode.NotFound);
        await anonymous.ExpectAsync(HttpMethod.Put, $"/api/v1/users/{fixture.Owner.Username}/follow", HttpStatusCode.Unauthorized);
        await anonymous.ExpectAsync(HttpMethod.Get, $"/api/v1/users/{fixture.Owner.Username}/followers", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_api_key_is_listed_and_deleted_only_by_its_owner()
    {
        var id = fixture.World.ApiKeyId;
        using var owner = fixture.CreateClient(fixture.Owner);
        using var stranger = fixture.CreateClient(fixture.Stranger);
        using var anonymous = fixture.CreateAnonymousClient();

        Assert.DoesNotContain(id, await stranger.ExpectAsync(HttpMethod.Get, "/api/v1/api-keys", HttpStatusCode.OK), StringComparison.Ordinal);
        await stranger.ExpectAsync(HttpMethod.Delete, $"/api/v1/api-keys/{id}", HttpStatusCode.NotFound);
        await anonymous.ExpectAsync(HttpMethod.Delete, $"/api/v1/api-keys/{id}", HttpStatusCode.Unauthorized);
        await anonymous.ExpectAsync(HttpMethod.Get, "/api/v1/api-keys", HttpStatusCode.Unauthorized);
        Assert.Contains(id, await owner.ExpectAsync(HttpMethod.Get, "/api/v1/api-keys", HttpStatusCode.OK), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_its_messages_members_and_read_marker_are_the_members_only()
    {
        var id = fixture.World.ConversationId;
        using var owner = fixture.CreateClient(fixture.Owner);
        using var stranger = fixture.CreateClient(fixture.Stranger);
        using var anonymous = fixture.CreateAnonymousClient();
        const string Secret = "owned";

        Assert.Contains(Secret, await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/conversations/{id}", HttpStatusCode.OK), StringComparison.Ordinal);
        await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/conversations/{id}/messages", HttpStatusCode.OK);

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/api/v1/conversations/{id}", null),
            (HttpMethod.Get, $"/api/v1/conversations/{id}/messages", null),
            (HttpMethod.Get, $"/api/v1/conversations/{id}/messages?before=2&limit=1", null),
            (HttpMethod.Post, $"/api/v1/conversations/{id}/messages", new { clientMessageId = Guid.NewGuid().ToString("N"), text = "let me in" }),
            (HttpMethod.Post, $"/api/v1/conversations/{id}/members", new { members = new[] { fixture.Stranger.Username } }),
            (HttpMethod.Post, $"/api/v1/conversations/{id}/read", new { seq = fixture.World.MessageSeq }),
        })
        {
            await stranger.ExpectAsync(method, path, HttpStatusCode.NotFound, body, Secret);
            await anonymous.ExpectAsync(method, path, HttpStatusCode.Unauthorized, body, Secret);
        }

        // Nor does it leak through the stranger's lists and stream.
        Assert.DoesNotContain(id, await stranger.ExpectAsync(HttpMethod.Get, "/api/v1/conversations", HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.DoesNotContain(id, await stranger.ExpectAsync(HttpMethod.Get, "/api/v1/sync", HttpStatusCode.OK), StringComparison.Ordinal);
        await anonymous.ExpectAsync(HttpMethod.Get, "/api/v1/sync", HttpStatusCode.Unauthorized);

        // The stranger's attempts added no member and no message.
        var conversation = await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/conversations/{id}", HttpStatusCode.OK);
        Assert.DoesNotContain(fixture.Stranger.Username, conversation, StringComparison.Ordinal);
        Assert.DoesNotContain("let me in", await owner.ExpectAsync(HttpMethod.Get, $"/api/v1/conversations/{id}/messages", HttpStatusCode.OK), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_letters_are_for_operators_only()
    {
        using var stranger = fixture.CreateClient(fixture.Stranger);
        using var anonymous = fixture.CreateAnonymousClient();
        using var operatorClient = fixture.CreateAnonymousClient();
        operatorClient.DefaultRequestHeaders.Add("X-Admin-Key", AtriumApp.AdminKey);

        // Operator endpoints are guarded by the admin key, not by a user's token (DESIGN.md §4): 403 for anyone else.
        foreach (var client in new[] { stranger, anonymous })
        {
            await client.ExpectAsync(HttpMethod.Get, "/api/v1/admin/dead-letters", HttpStatusCode.Forbidden);
            await client.ExpectAsync(HttpMethod.Post, "/api/v1/admin/dead-letters/1/replay", HttpStatusCode.Forbidden);
        }

        using var wrongKey = fixture.CreateAnonymousClient();
        wrongKey.DefaultRequestHeaders.Add("X-Admin-Key", AtriumApp.AdminKey + "x");
        await wrongKey.ExpectAsync(HttpMethod.Get, "/api/v1/admin/dead-letters", HttpStatusCode.Forbidden);
        await operatorClient.ExpectAsync(HttpMethod.Get, "/api/v1/admin/dead-letters", HttpStatusCode.OK);
        await operatorClient.ExpectAsync(HttpMethod.Post, "/api/v1/admin/dead-letters/1/replay", HttpStatusCode.NotFound);
    }
}
