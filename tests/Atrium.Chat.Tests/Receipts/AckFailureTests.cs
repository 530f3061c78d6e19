using Atrium.Chat.Tests.Support;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Xunit;

namespace Atrium.Chat.Tests.Receipts;

/// <summary>
/// A flush of acks that fails halfway (the fail point <c>chat.acks.midway</c> throws once, after part of its writes)
/// must not leave a delivered receipt stuck: the next flush finishes it, in every conversation the ack covered.
/// </summary>
public sealed class AckFailureTests(AckFailureTests.MidwayFixture fixture) : IClassFixture<AckFailureTests.MidwayFixture>
{
    [Fact]
    public async Task A_flush_that_fails_midway_still_marks_every_covered_conversation_delivered()
    {
        var alice = await fixture.NewUserAsync();
        var bob = await fixture.NewUserAsync();
        var carol = await fixture.NewUserAsync();
        var direct = (await alice.Http.CreateConversationAsync([bob.Username])).Id();
        var group = (await alice.Http.CreateConversationAsync([bob.Username, carol.Username], "Midway")).Id();
        await alice.Http.SendAsync(direct, "to bob");
        await alice.Http.SendAsync(group, "to the group");

        await using var bobs = await fixture.ConnectAsync(bob, since: 0);
        var events = await bobs.EventsUntilAsync(f => f.IsMessage(group), "the group message");
        await bobs.SendAsync(new { type = "ack", pos = events[^1].Pos() });

        foreach (var id in new[] { direct, group })
        {
            await Eventually.HoldsAsync(
                async () => await DeliveredToAsync(alice, id, bob) == 1,
                $"bob's delivered watermark in {id} to reach 1 after the failed flush was retried");
        }
    }

    private static async Task<long> DeliveredToAsync(ChatUser viewer, string conversationId, ChatUser member)
    {
        var conversation = await viewer.Http.GetJsonAsync($"/api/v1/conversations/{conversationId}");
        return conversation.GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("username").GetString() == member.Username)
            .GetProperty("deliveredUpTo").GetInt64();
    }

    /// <summary>The app with the fail point armed for the first ack applied.</summary>
    public sealed class MidwayFixture() : ChatFixture(new Dictionary<string, string?> { [FailPoints.Setting] = $"{FailPoints.ChatAcksMidway}@1" });
}
