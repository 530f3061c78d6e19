using Atrium.Chat.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Chat.Tests.Receipts;

/// <summary>
/// An ack moves the user's delivered position to what it acknowledged even when that part of the stream delivers no
/// new message (own messages, receipts): the next ack starts from there instead of rescanning the whole stream.
/// </summary>
public sealed class AckRangeTests(ChatFixture fixture) : IClassFixture<ChatFixture>
{
    [Fact]
    public async Task An_ack_that_delivers_nothing_new_still_moves_the_users_delivered_position()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        await using var alices = await fixture.ConnectAsync(alice);
        await alice.Http.SendAsync(id, "my own message");
        var own = await alices.NextAsync(f => f.IsMessage(id), "alice's own message event");

        await alices.SendAsync(new { type = "ack", pos = own.Pos() });

        var aliceId = await fixture.UserIdAsync(alice);
        await Eventually.ReachesAsync(
            () => fixture.ScalarAsync<long>("SELECT delivered_pos FROM chat_user_heads WHERE user_id = @aliceId", new { aliceId }),
            pos => pos == own.Pos(),
            "alice's delivered position to reach her ack");
    }
}
