using Atrium.Chat.Domain;
using Xunit;

namespace Atrium.Chat.Tests.Domain;

public sealed class MessageTextTests
{
    [Theory]
    [InlineData("hello")]
    [InlineData("two\nlines\tand a tab")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("caf\u00e9 \U0001F600")]
    public void Accepts_plain_text_with_newlines_and_tabs(string text) => Assert.Null(MessageText.Validate(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("bell\u0007")]
    [InlineData("nul\0")]
    [InlineData("carriage\rreturn")]
    public void Refuses_empty_blank_and_control_characters(string? text) => Assert.NotNull(MessageText.Validate(text));

    [Fact]
    public void The_limit_is_4000_characters()
    {
        Assert.Null(MessageText.Validate(new string('x', ChatLimits.MaxTextLength)));
        Assert.NotNull(MessageText.Validate(new string('x', ChatLimits.MaxTextLength + 1)));
    }
}
