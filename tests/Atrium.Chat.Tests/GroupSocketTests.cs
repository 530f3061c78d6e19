using System.Net.Http.Json;
using Atrium.Chat.Tests.Support;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>Groups over the socket: joining mid-conversation, and "read by all" as the minimum of the members' reads.</summary>
public sealed class GroupSocketTests(ChatFixture fixture) : IClassFixture<ChatFixture>
{
    [Fact]
    public async Task A_member_added_later_hears_of_the_group_and_gets_only_messages_from_the_join()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username], "Later")).Id();
        await alice.Http.SendAsync(id, "before carol");
        await using var carols = await fixture.ConnectAsync(carol);

        using (var add = await alice.Http.PostAsJsonAsync(
            ChatApi.Relative($"/api/v1/conversations/{id}/members"), new { members = new[] { carol.Username } }, TestContext.Current.CancellationToken))
        {
            add.EnsureSuccessStatusCode();
        }

        await alice.Http.SendAsync(id, "after carol");
        var events = await carols.EventsUntilAsync(f => f.IsMessage(id), "carol's first message");
        Assert.Equal("conversation", events[0].Type());
        Assert.Equal(3, events[0].GetProperty("conversation").GetProperty("members").GetArrayLength());
        Assert.Equal(["after carol"], events.Where(f => f.IsMessage(id)).Select(f => f.Text()));
        Assert.Equal(2, events[^1].Seq());
    }

    [Fact]
    public async Task Read_by_all_moves_only_when_the_last_member_reads()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var id = (await alice.Http.CreateConversationAsync([bob.Username, carol.Username], "Readers")).Id();
        await alice.Http.SendAsync(id, "please read");
        await using var alices = await fixture.ConnectAsync(alice);
        await using var bobs = await fixture.ConnectAsync(bob);
        await using var carols = await fixture.ConnectAsync(carol);

        await bobs.SendAsync(new { type = "read", conversationId = id, seq = 1 });
        var own = await bobs.NextAsync(f => f.Type() == "receipt", "bob's own read receipt");
        Assert.Equal(1, own.GetProperty("readUpTo").GetInt64());
        Assert.Equal(0, own.GetProperty("readByAllUpTo").GetInt64());

        await carols.SendAsync(new { type = "read", conversationId = id, seq = 1 });
        // Bob's read alone did not move the minimum: alice heard nothing of it, so her first receipt is carol's.
        var all = await alices.NextAsync(f => f.Type() == "receipt", "read by all");
        Assert.Equal(carol.Username, all.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(1, all.GetProperty("readByAllUpTo").GetInt64());
        Assert.Equal(1, all.GetProperty("deliveredToAllUpTo").GetInt64());
    }
}
