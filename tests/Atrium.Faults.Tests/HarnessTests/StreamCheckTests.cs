using Atrium.Faults.Tests.Harness;
using Xunit;

namespace Atrium.Faults.Tests.HarnessTests;

/// <summary>The chat invariant checker finds each kind of violation (so a scenario that reports 0 has looked).</summary>
public sealed class StreamCheckTests
{
    private static readonly Dictionary<string, long> Acknowledged = new() { ["a"] = 1, ["b"] = 2, ["c"] = 3 };

    [Fact]
    public void A_complete_stream_has_no_violation() =>
        Assert.Equal(StreamViolations.None, StreamCheck.Check([Seen(1, "a"), Seen(2, "b"), Seen(3, "c")], 3, Acknowledged, Text));

    [Fact]
    public void A_missing_message_is_a_gap_and_a_loss() =>
        Assert.Equal(new StreamViolations(0, 1, 0, 1), StreamCheck.Check([Seen(1, "a"), Seen(3, "c")], 3, Acknowledged, Text));

    [Fact]
    public void A_message_shown_twice_is_a_duplicate_out_of_order() =>
        Assert.Equal(new StreamViolations(1, 0, 2, 0), StreamCheck.Check([Seen(1, "a"), Seen(2, "b"), Seen(2, "b"), Seen(3, "c")], 3, Acknowledged, Text));

    [Fact]
    public void A_message_acknowledged_with_another_seq_or_text_is_lost()
    {
        Assert.Equal(2, StreamCheck.Check([Seen(1, "a"), Seen(2, "c"), Seen(3, "b")], 3, Acknowledged, Text).Lost);
        Assert.Equal(1, StreamCheck.Check([Seen(1, "a"), Seen(2, "b"), new SeenMessage(3, "c", "edited")], 3, Acknowledged, Text).Lost);
    }

    private static SeenMessage Seen(long seq, string clientMessageId) => new(seq, clientMessageId, Text(clientMessageId));

    private static string Text(string clientMessageId) => "text " + clientMessageId;
}
