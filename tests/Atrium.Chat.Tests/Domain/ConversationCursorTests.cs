using Atrium.Chat.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Chat.Tests.Domain;

public sealed class ConversationCursorTests
{
    [Fact]
    public void Every_cursor_parses_back_to_its_position() =>
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long[0, long.MaxValue]).Sample((activity, id) =>
            ConversationCursor.TryParse(ConversationCursor.Encode(activity, id), out var a, out var i) && a == activity && i == id);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1.2.3")]
    [InlineData("-1.5")]
    [InlineData("x.5")]
    public void Anything_else_is_not_a_cursor(string? cursor) => Assert.False(ConversationCursor.TryParse(cursor, out _, out _));
}
