using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Atrium.Chat.Tests.Support;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>The WebSocket protocol on one node (docs/chat-protocol.md), in the shape the run selects.</summary>
public sealed class SocketTests(ChatFixture fixture) : IClassFixture<ChatFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hello_with_an_invalid_token_is_answered_unauthorized_and_closed_with_4401()
    {
        var socket = ChatSocket.Raw(await fixture.OpenAsync());
        await using var _ = socket;
        await socket.SendAsync(new { type = "hello", token = "not-a-token" });

        var error = await socket.NextAsync(f => f.Type() == "error", "the error");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Equal((WebSocketCloseStatus)4401, await socket.ClosedAsync());
    }

    [Fact]
    public async Task A_first_frame_that_is_not_hello_closes_with_4400()
    {
        var socket = ChatSocket.Raw(await fixture.OpenAsync());
        await using var _ = socket;
        await socket.SendAsync(new { type = "send", conversationId = "1", clientMessageId = "x", text = "hi" });

        Assert.Equal((WebSocketCloseStatus)4400, await socket.ClosedAsync());
    }

    [Fact]
    public async Task A_send_is_answered_with_its_seq_and_delivered_live_to_every_member()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        await using var bobs = await fixture.ConnectAsync(bob);

        await alices.SendAsync(new { type = "send", conversationId = id, clientMessageId = "m-1", text = "hello bob" });

        var sent = await alices.NextAsync(f => f.Type() == "sent", "sent");
        Assert.Equal(1, sent.GetProperty("seq").GetInt64());
        Assert.Equal("m-1", sent.GetProperty("clientMessageId").GetString());
        var received = await bobs.NextAsync(f => f.IsMessage(id), "bob's message");
        Assert.Equal("hello bob", received.Text());
        Assert.Equal(alice.Username, received.GetProperty("message").GetProperty("sender").GetProperty("username").GetString());
        Assert.Equal(sent.GetProperty("messageId").GetString(), received.GetProperty("message").GetProperty("messageId").GetString());
        Assert.Equal(bobs.Welcome.GetProperty("pos").GetInt64() + 1, received.Pos());

        // The sender's other devices see it too, as a stream event of the sender.
        var own = await alices.NextAsync(f => f.IsMessage(id), "alice's own message event");
        Assert.Equal(1, own.Seq());
    }

    [Fact]
    public async Task A_retried_send_answers_the_original_seq_and_the_recipient_sees_the_message_once()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        await using var bobs = await fixture.ConnectAsync(bob);

        await alices.SendAsync(new { type = "send", conversationId = id, clientMessageId = "dup", text = "only once" });
        await alices.SendAsync(new { type = "send", conversationId = id, clientMessageId = "dup", text = "only once" });
        await alices.SendAsync(new { type = "send", conversationId = id, clientMessageId = "after", text = "then this" });

        var answers = new[]
        {
            await alices.NextAsync(f => f.Type() == "sent", "first sent"),
            await alices.NextAsync(f => f.Type() == "sent", "second sent"),
            await alices.NextAsync(f => f.Type() == "sent", "third sent"),
        };
        Assert.Equal([1L, 1L, 2L], answers.Select(a => a.GetProperty("seq").GetInt64()));
        var events = await bobs.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 2, "bob's second message");
        Assert.Equal(["only once", "then this"], events.Where(f => f.IsMessage(id)).Select(f => f.Text()));
    }

    [Fact]
    public async Task An_offline_member_gets_everything_in_order_on_connect_with_since()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username, (await fixture.NewUserAsync()).Username], "Offline")).Id();
        for (var i = 1; i <= 5; i++)
        {
            await alice.Http.SendAsync(id, $"while away {i}");
        }

        await using var bobs = await fixture.ConnectAsync(bob, since: 0);
        Assert.Equal(6, bobs.Welcome.GetProperty("pos").GetInt64());
        var events = await bobs.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 5, "the fifth message");

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.Select(e => e.Pos()));
        Assert.Equal("conversation", events[0].Type());
        Assert.Equal(id, events[0].GetProperty("conversation").GetProperty("id").GetString());
        Assert.Equal([1L, 2L, 3L, 4L, 5L], events.Skip(1).Select(e => e.Seq()));
    }

    [Fact]
    public async Task A_reconnect_with_since_resumes_after_the_last_processed_event_without_duplicates()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        long last;
        await using (var bobs = await fixture.ConnectAsync(bob))
        {
            for (var i = 1; i <= 3; i++)
            {
                await alice.Http.SendAsync(id, $"live {i}");
            }

            var live = await bobs.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 3, "three live messages");
            Assert.Equal([1L, 2L, 3L], live.Where(f => f.IsMessage(id)).Select(f => f.Seq()));
            last = live[^1].Pos();
        }

        for (var i = 4; i <= 6; i++)
        {
            await alice.Http.SendAsync(id, $"missed {i}");
        }

        await using var again = await fixture.ConnectAsync(bob, since: last);
        var resumed = await again.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 6, "the missed messages");
        Assert.All(resumed, e => Assert.True(e.Pos() > last));
        Assert.Equal([4L, 5L, 6L], resumed.Where(f => f.IsMessage(id)).Select(f => f.Seq()));
    }

    [Fact]
    public async Task A_named_device_resumes_after_its_last_ack_without_since()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        JsonElement first;
        await using (var bobs = await fixture.ConnectAsync(bob, device: "phone"))
        {
            await alice.Http.SendAsync(id, "first");
            first = await bobs.NextAsync(f => f.IsMessage(id), "first");
            await bobs.SendAsync(new { type = "ack", pos = first.Pos() });

            // The ack was applied once alice hears that bob has the message.
            await alices.NextAsync(f => f.Type() == "receipt" && f.GetProperty("deliveredUpTo").GetInt64() == 1, "delivered receipt");
        }

        await alice.Http.SendAsync(id, "second");
        await using var phone = await fixture.ConnectAsync(bob, device: "phone");
        var replayed = await phone.EventsUntilAsync(f => f.IsMessage(id), "the replayed message");
        Assert.All(replayed, e => Assert.True(e.Pos() > first.Pos()));
        Assert.Equal("second", replayed[^1].Text());
    }

    [Fact]
    public async Task Acks_and_reads_move_the_watermarks_and_the_sender_gets_receipts()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        await using var bobs = await fixture.ConnectAsync(bob);
        await alice.Http.SendAsync(id, "one");
        await alice.Http.SendAsync(id, "two");

        var second = await bobs.NextAsync(f => f.IsMessage(id) && f.Seq() == 2, "second message");
        await bobs.SendAsync(new { type = "ack", pos = second.Pos() });
        var delivered = await alices.NextAsync(f => f.Type() == "receipt" && f.GetProperty("deliveredUpTo").GetInt64() == 2, "delivered up to 2");
        Assert.Equal(bob.Username, delivered.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(0, delivered.GetProperty("readUpTo").GetInt64());

        await bobs.SendAsync(new { type = "read", conversationId = id, seq = 1 });
        var read = await alices.NextAsync(f => f.Type() == "receipt" && f.GetProperty("readUpTo").GetInt64() == 1, "read up to 1");
        Assert.Equal(1, read.GetProperty("readByAllUpTo").GetInt64());
        Assert.Equal(2, read.GetProperty("deliveredToAllUpTo").GetInt64());
        var members = (await alice.Http.GetJsonAsync($"/api/v1/conversations/{id}")).GetProperty("members").EnumerateArray();
        var bobsMarks = members.Single(m => m.GetProperty("username").GetString() == bob.Username);
        Assert.Equal(2, bobsMarks.GetProperty("deliveredUpTo").GetInt64());
        Assert.Equal(1, bobsMarks.GetProperty("readUpTo").GetInt64());
    }

    [Fact]
    public async Task Typing_reaches_the_other_members_and_presence_reaches_contacts()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        await using var bobs = await fixture.ConnectAsync(bob);

        var online = await alices.NextAsync(f => f.Type() == "presence" && User(f) == bob.Username, "bob's presence");
        Assert.True(online.GetProperty("online").GetBoolean());
        await alices.SendAsync(new { type = "typing", conversationId = id });
        var typing = await bobs.NextAsync(f => f.Type() == "typing", "typing");
        Assert.Equal(id, typing.GetProperty("conversationId").GetString());
        Assert.Equal(alice.Username, User(typing));

        await bobs.DisposeAsync();
        var offline = await alices.NextAsync(f => f.Type() == "presence" && User(f) == bob.Username && !f.GetProperty("online").GetBoolean(), "bob offline");
        Assert.Equal(JsonValueKind.String, offline.GetProperty("lastSeenAt").ValueKind);
    }

    [Fact]
    public async Task Bad_frames_get_error_frames_and_the_socket_stays_usable()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var carols = await fixture.ConnectAsync(carol);

        await carols.SendRawAsync("{not json");
        Assert.Equal("bad_request", (await carols.NextAsync(f => f.Type() == "error", "error for bad JSON")).GetProperty("code").GetString());
        await carols.SendAsync(new { type = "send", conversationId = id, clientMessageId = "c1", text = "hi" });
        var notFound = await carols.NextAsync(f => f.Type() == "error", "error for a stranger's conversation");
        Assert.Equal("not_found", notFound.GetProperty("code").GetString());
        Assert.Equal("c1", notFound.GetProperty("ref").GetString());
        await carols.SendAsync(new { type = "ping" });
        await carols.NextAsync(f => f.Type() == "pong", "pong");
    }

    [Fact]
    public async Task A_frame_over_16_KiB_closes_the_socket_with_1009()
    {
        var alice = await fixture.NewUserAsync();
        await using var alices = await fixture.ConnectAsync(alice);
        await alices.SendRawAsync(JsonSerializer.Serialize(new { type = "ping", padding = new string('p', 17 * 1024) }));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await alices.ClosedAsync());
    }

    [Fact]
    public async Task Read_of_a_stranger_conversation_over_the_socket_is_not_found()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var carols = await fixture.ConnectAsync(carol);

        await carols.SendAsync(new { type = "read", conversationId = id, seq = 1 });
        Assert.Equal("not_found", (await carols.NextAsync(f => f.Type() == "error", "error")).GetProperty("code").GetString());
        await carols.SendAsync(new { type = "typing", conversationId = id });
        Assert.Equal("not_found", (await carols.NextAsync(f => f.Type() == "error", "error")).GetProperty("code").GetString());
        using var sync = await carol.Http.GetAsync(ChatApi.Relative("/api/v1/sync?since=0"), Ct);
        Assert.Empty((await sync.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("events").EnumerateArray());
    }

    private static string? User(JsonElement frame) => frame.GetProperty("user").GetProperty("username").GetString();
}
