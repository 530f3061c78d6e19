using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atrium.Chat.Tests.Support;
using Xunit;
using Atrium.Testing;

namespace Atrium.Chat.Tests;

/// <summary>The HTTP API of conversations and messages (docs/chat-protocol.md), in the shape the run selects.</summary>
public sealed class ConversationApiTests(ChatFixture fixture) : IClassFixture<ChatFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_direct_conversation_is_unique_per_pair()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();

        using var first = await alice.Http.PostConversationAsync(new { members = new[] { bob.Username } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("direct", created.GetProperty("kind").GetString());
        Assert.Equal(2, created.GetProperty("members").GetArrayLength());

        using var again = await alice.Http.PostConversationAsync(new { members = new[] { bob.Username.ToUpperInvariant() } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(created.Id(), (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).Id());

        var fromBob = await bob.Http.CreateConversationAsync([alice.Username]);
        Assert.Equal(created.Id(), fromBob.Id());
    }

    [Fact]
    public async Task A_group_needs_known_members_and_a_short_title()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();

        var group = await alice.Http.CreateConversationAsync([bob.Username], "Project");
        Assert.Equal("group", group.GetProperty("kind").GetString());
        Assert.Equal("Project", group.GetProperty("title").GetString());

        using var unknown = await alice.Http.PostConversationAsync(new { members = new[] { bob.Username, "nobody-here-x" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("nobody-here-x", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var onlyMe = await alice.Http.PostConversationAsync(new { members = new[] { alice.Username } });
        Assert.Equal(HttpStatusCode.BadRequest, onlyMe.StatusCode);

        using var longTitle = await alice.Http.PostConversationAsync(new { members = new[] { bob.Username }, title = new string('t', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, longTitle.StatusCode);
    }

    [Fact]
    public async Task Only_members_can_read_write_or_learn_that_a_conversation_exists()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var conversation = await alice.Http.CreateConversationAsync([bob.Username], "Secret");
        var id = conversation.Id();
        await alice.Http.SendAsync(id, "hello");

        Assert.Equal(HttpStatusCode.NotFound, await carol.Http.StatusOfGetAsync($"/api/v1/conversations/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await carol.Http.StatusOfGetAsync($"/api/v1/conversations/{id}/messages"));
        using (var send = await carol.Http.PostMessageAsync(id, "c1", "let me in"))
        {
            Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        }

        using (var read = await carol.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{id}/read"), new { seq = 1 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var add = await carol.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{id}/members"), new { members = new[] { carol.Username } }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        }

        // A conversation that does not exist answers the same.
        Assert.Equal(HttpStatusCode.NotFound, await carol.Http.StatusOfGetAsync("/api/v1/conversations/123456789"));
        var mine = await carol.Http.GetJsonAsync("/api/v1/conversations");
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_retried_send_returns_the_original_seq_and_stores_one_message()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();

        using var first = await alice.Http.PostMessageAsync(id, "retry-1", "once");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var original = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var retry = await alice.Http.PostMessageAsync(id, "retry-1", "once");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var repeated = await retry.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(original.GetProperty("seq").GetInt64(), repeated.GetProperty("seq").GetInt64());
        Assert.Equal(original.GetProperty("messageId").GetString(), repeated.GetProperty("messageId").GetString());
        Assert.Equal(2, await alice.Http.SendAsync(id, "next")); // the retry used no seq
        var history = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages");
        Assert.Equal(["once", "next"], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task History_pages_backwards_and_returns_each_page_in_ascending_seq()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, await alice.Http.SendAsync(id, $"m{i}"));
        }

        var newest = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages?limit=2");
        Assert.Equal([4L, 5L], Seqs(newest));
        Assert.True(newest.GetProperty("hasMore").GetBoolean());
        var older = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages?limit=2&before=4");
        Assert.Equal([2L, 3L], Seqs(older));
        var oldest = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages?limit=2&before=2");
        Assert.Equal([1L], Seqs(oldest));
        Assert.False(oldest.GetProperty("hasMore").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, await alice.Http.StatusOfGetAsync($"/api/v1/conversations/{id}/messages?limit=101"));
    }

    [Fact]
    public async Task A_member_added_to_a_group_sees_history_from_the_join()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username], "Team")).Id();
        await alice.Http.SendAsync(id, "before carol 1");
        await alice.Http.SendAsync(id, "before carol 2");

        using (var add = await alice.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{id}/members"), new { members = new[] { carol.Username } }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
            var group = await add.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(3, group.GetProperty("members").GetArrayLength());
        }

        await alice.Http.SendAsync(id, "after carol");
        var history = await Eventually.ReachesAsync(
            () => carol.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages"), h => Seqs(h).Length == 1, "carol's history");
        Assert.Equal([3L], Seqs(history));
        var conversation = await carol.Http.GetJsonAsync($"/api/v1/conversations/{id}");
        Assert.Equal(1, conversation.GetProperty("unread").GetInt64());

        // A direct conversation takes no members.
        var direct = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        using var refused = await alice.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{direct}/members"), new { members = new[] { carol.Username } }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task Unread_counts_fall_as_the_reader_reads_and_the_group_shows_read_by_all()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username, carol.Username], "Readers")).Id();
        for (var i = 1; i <= 3; i++)
        {
            await alice.Http.SendAsync(id, $"m{i}");
        }

        var bobs = await Eventually.ReachesAsync(() => bob.Http.GetJsonAsync("/api/v1/conversations"), l => Unread(l, id) == 3, "bob's 3 unread");
        Assert.Equal(0, Unread(await alice.Http.GetJsonAsync("/api/v1/conversations"), id)); // your own messages count as read
        Assert.Equal("m3", bobs.GetProperty("items")[0].GetProperty("lastMessage").GetProperty("text").GetString());

        using (var read = await bob.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{id}/read"), new { seq = 2 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        Assert.Equal(1, Unread(await bob.Http.GetJsonAsync("/api/v1/conversations"), id));
        Assert.Equal(0, (await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}")).GetProperty("readByAllUpTo").GetInt64());

        using (var read = await carol.Http.PostAsJsonAsync(ChatApi.Relative($"/api/v1/conversations/{id}/read"), new { seq = 99 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode); // clamped to the last seq
        }

        var seen = await Eventually.ReachesAsync(
            () => alice.Http.GetJsonAsync($"/api/v1/conversations/{id}"), c => c.GetProperty("readByAllUpTo").GetInt64() == 2, "read by all up to 2");
        var carolsMarks = seen.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("username").GetString() == carol.Username);
        Assert.Equal(3, carolsMarks.GetProperty("readUpTo").GetInt64());
    }

    [Fact]
    public async Task Message_text_is_validated_and_stored_as_sent()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();

        foreach (var bad in new[] { "", "bell\u0007", new string('x', 4001) })
        {
            using var response = await alice.Http.PostMessageAsync(id, Guid.NewGuid().ToString("N"), bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var badId = await alice.Http.PostMessageAsync(id, new string('k', 65), "ok"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        }

        await alice.Http.SendAsync(id, "caf\u00e9 <b>not html</b>\n\tline two \U0001F600");
        var history = await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}/messages");
        Assert.Equal("caf\u00e9 <b>not html</b>\n\tline two \U0001F600", history.GetProperty("items")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Sync_returns_the_stream_in_pages_from_a_position()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        for (var i = 1; i <= 3; i++)
        {
            await alice.Http.SendAsync(id, $"m{i}");
        }

        var all = await Eventually.ReachesAsync(
            () => bob.Http.GetJsonAsync("/api/v1/sync?since=0"), s => s.GetProperty("events").GetArrayLength() == 4, "bob's 4 events");
        var events = all.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Pos()));
        Assert.Equal("conversation", events[0].Type());
        Assert.Equal(["m1", "m2", "m3"], events.Skip(1).Select(e => e.Text()));
        Assert.Equal(4, all.GetProperty("pos").GetInt64());

        var page = await bob.Http.GetJsonAsync("/api/v1/sync?since=1&limit=2");
        Assert.Equal([2L, 3L], page.GetProperty("events").EnumerateArray().Select(e => e.Pos()));
        Assert.True(page.GetProperty("hasMore").GetBoolean());
        Assert.Equal(3, page.GetProperty("pos").GetInt64());
    }

    private static long[] Seqs(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())];

    private static long Unread(JsonElement list, string id) =>
        list.GetProperty("items").EnumerateArray().Single(c => c.Id() == id).GetProperty("unread").GetInt64();
}
