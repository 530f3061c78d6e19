using Atrium.Chat.Domain;
using Xunit;

namespace Atrium.Chat.Tests.Domain;

public sealed class ClientIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("device:phone#1")]
    public void Accepts_visible_ascii(string id) => Assert.True(ClientIds.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("caf\u00e9")]
    public void Refuses_empty_spaces_and_non_ascii(string? id) => Assert.False(ClientIds.IsValid(id));

    [Fact]
    public void The_limit_is_64_characters()
    {
        Assert.True(ClientIds.IsValid(new string('k', 64)));
        Assert.False(ClientIds.IsValid(new string('k', 65)));
    }
}
