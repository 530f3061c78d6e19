using Atrium.Chat.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Chat.Tests.Receipts;

/// <summary>
/// Retention of the users' event streams (docs/chat-protocol.md, "Retention"), with a window of one second: events
/// every device acknowledged are deleted once older than the window, and a cursor from before what is left gets a
/// reset (on the socket and on /sync) instead of a silent gap.
/// </summary>
public sealed class StreamRetentionTests(StreamRetentionTests.ShortWindowFixture fixture) : IClassFixture<StreamRetentionTests.ShortWindowFixture>
{
    [Fact]
    public async Task Events_every_device_acknowledged_are_deleted_after_the_window_and_an_older_cursor_gets_a_reset()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        for (var i = 1; i <= 3; i++)
        {
            await alice.Http.SendAsync(id, $"old {i}");
        }

        var bobId = await fixture.UserIdAsync(bob);
        long acked;
        await using (var phone = await fixture.ConnectAsync(bob, since: 0, device: "phone"))
        {
            acked = (await phone.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 3, "the third message"))[^1].Pos();
            await phone.SendAsync(new { type = "ack", pos = acked });
            await Eventually.ReachesAsync(
                () => fixture.ScalarAsync<long>("SELECT COUNT(*) FROM chat_user_events WHERE user_id = @bobId AND pos <= @acked", new { bobId, acked }),
                count => count == 0,
                "bob's acknowledged events to be deleted");
        }

        await using var resumed = await fixture.ConnectAsync(bob, since: 0);
        Assert.True(resumed.Welcome.GetProperty("reset").GetBoolean());
        var head = resumed.Welcome.GetProperty("pos").GetInt64();
        Assert.True(head >= acked, $"head {head}, acked {acked}"); // the ack's own receipt may follow
        await alice.Http.SendAsync(id, "new");
        var live = await resumed.NextAsync(f => f.TryGetProperty("pos", out _), "the next stream event");
        Assert.Equal(head + 1, live.Pos()); // live from the head: nothing from before was replayed

        var tooOld = await bob.Http.GetJsonAsync("/api/v1/sync?since=0");
        Assert.True(tooOld.GetProperty("reset").GetBoolean());
        Assert.Equal(0, tooOld.GetProperty("events").GetArrayLength());
        Assert.True(tooOld.GetProperty("pos").GetInt64() >= head);

        var retained = await bob.Http.GetJsonAsync($"/api/v1/sync?since={acked}");
        Assert.False(retained.GetProperty("reset").GetBoolean());
        Assert.Equal(["new"], retained.GetProperty("events").EnumerateArray().Where(f => f.IsMessage(id)).Select(f => f.Text()));
    }

    [Fact]
    public async Task Events_a_device_seen_within_the_window_has_not_acknowledged_are_kept()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        for (var i = 1; i <= 3; i++)
        {
            await alice.Http.SendAsync(id, $"message {i}");
        }

        var bobId = await fixture.UserIdAsync(bob);
        await using var laptop = await fixture.ConnectAsync(bob, since: 0, device: "laptop");
        var events = await laptop.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 3, "the third message");
        var first = events.Single(f => f.IsMessage(id) && f.Seq() == 1).Pos();
        await using (var phone = await fixture.ConnectAsync(bob, since: 0, device: "phone"))
        {
            await phone.EventsUntilAsync(f => f.IsMessage(id) && f.Seq() == 3, "the third message on the phone");
            await phone.SendAsync(new { type = "ack", pos = events[^1].Pos() });
        }

        // The laptop stays in use (it acks the first message again and again, as a connected client does) and so is
        // waited for: retention stops at its position, whatever the phone acknowledged.
        await Eventually.ReachesAsync(
            async () =>
            {
                await laptop.SendAsync(new { type = "ack", pos = first });
                return await fixture.ScalarAsync<long>("SELECT pruned_pos FROM chat_user_heads WHERE user_id = @bobId", new { bobId });
            },
            pruned => pruned == first,
            "bob's stream to be pruned up to the laptop's position");
        // Everything after the laptop's position is still there, without a gap (the phone's receipts included).
        var head = await fixture.ScalarAsync<long>("SELECT last_pos FROM chat_user_heads WHERE user_id = @bobId", new { bobId });
        Assert.Equal(
            head - first,
            await fixture.ScalarAsync<long>("SELECT COUNT(*) FROM chat_user_events WHERE user_id = @bobId AND pos > @first", new { bobId, first }));
        Assert.True(head - first >= 2);
    }

    /// <summary>The app with a retention window of one second, swept five times a second.</summary>
    public sealed class ShortWindowFixture() : ChatFixture(new Dictionary<string, string?>
    {
        ["Chat:EventRetention"] = "00:00:01",
        ["Chat:EventSweepInterval"] = "00:00:00.200",
    });
}
