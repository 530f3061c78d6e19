using Atrium.Feed.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Feed.Tests.Domain;

public sealed class FeedCursorTests
{
    [Fact]
    public void Round_trips_any_id() =>
        Gen.Long[1, long.MaxValue].Sample(id => FeedCursor.TryDecode(FeedCursor.Encode(id), out var back) && back == id);

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("LTE")] // "-1"
    [InlineData("MA")] // "0"
    [InlineData("YWJj")] // "abc"
    [InlineData("MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTEx")] // too long
    public void Refuses_what_it_did_not_give_out(string cursor) => Assert.False(FeedCursor.TryDecode(cursor, out _));

    [Fact]
    public void Is_opaque_base64url_of_the_id() => Assert.Equal("MTIz", FeedCursor.Encode(123));
}
