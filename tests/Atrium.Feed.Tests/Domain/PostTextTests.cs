using Atrium.Feed.Domain;
using Xunit;

namespace Atrium.Feed.Tests.Domain;

public sealed class PostTextTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("  padded \n", "padded")]
    [InlineData("line one\nline two\tindented", "line one\nline two\tindented")]
    [InlineData("windows\r\nline", "windows\nline")]
    [InlineData("e\u0301te\u0301", "\u00e9t\u00e9")] // NFC composes e + combining acute into é
    public void Accepted_text_is_normalised(string input, string expected)
    {
        Assert.Equal(expected, PostText.Normalize(input, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "empty")]
    [InlineData("   \n\t ", "empty")]
    [InlineData("bell\u0007", "control")]
    [InlineData("nul\u0000byte", "control")]
    [InlineData("escape\u001b[31m", "control")]
    [InlineData("del\u007f", "control")]
    public void Refused_text_says_why(string? input, string reason)
    {
        Assert.Null(PostText.Normalize(input, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        foreach (var text in new[] { "broken " + '\ud800' + " surrogate", "low " + '\udc00' + " first", "ends high " + '\ud83d' })
        {
            Assert.Null(PostText.Normalize(text, out var error));
            Assert.Contains("Unicode", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Normalisation_is_real_NFC_under_invariant_globalization()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.True(Nfc.UsesIcu, "ICU (libicuuc) was not found: NFC would be a no-op under invariant globalization");
        }

        Assert.Equal("\u00c5ngstr\u00f6m", Nfc.Normalize("A\u030angstro\u0308m"));
        Assert.Equal("\ud55c", Nfc.Normalize("\u1112\u1161\u11ab")); // Hangul jamo compose into one syllable
        Assert.Equal("plain ascii", Nfc.Normalize("plain ascii"));
    }

    [Fact]
    public void Length_counts_user_perceived_characters_up_to_500()
    {
        Assert.NotNull(PostText.Normalize(new string('a', 500), out _));
        Assert.Null(PostText.Normalize(new string('a', 501), out var error));
        Assert.Contains("500", error, StringComparison.Ordinal);

        // A family emoji is 11 UTF-16 units but one character: 500 of them fit.
        var family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.NotNull(PostText.Normalize(string.Concat(Enumerable.Repeat(family, 500)), out _));
        Assert.Null(PostText.Normalize(string.Concat(Enumerable.Repeat(family, 501)), out _));
    }
}
