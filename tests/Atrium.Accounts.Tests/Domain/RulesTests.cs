using Atrium.Accounts.Domain;
using Xunit;

namespace Atrium.Accounts.Tests.Domain;

public sealed class RulesTests
{
    [Theory]
    [InlineData("Alice_01", "alice_01")]
    [InlineData("alice", "alice")]
    [InlineData("\u212Aelvin", "\u212Aelvin")] // only A–Z fold; the Kelvin sign stays, and is then refused
    [InlineData("ÉCOLE", "École")]
    public void Usernames_fold_only_ascii_capitals(string input, string expected) =>
        Assert.Equal(expected, UsernameRules.Normalize(input));

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a_b_9", true)]
    [InlineData("ab", false)]
    [InlineData("Abc", false)] // validation runs on the normalized form
    [InlineData("a.b", false)]
    public void Username_validation(string username, bool valid) =>
        Assert.Equal(valid, UsernameRules.Validate(username) is null);

    [Theory]
    [InlineData("0123456789", "x", "most common")]
    [InlineData("abcdefghi", "x", "at least 10")]
    [InlineData("someone_here", "someone_here", "same as the username")]
    [InlineData("Someone_Here", "someone_here", "same as the username")]
    public void Password_rules(string password, string username, string expected) =>
        Assert.Contains(expected, PasswordRules.Validate(password, username), StringComparison.Ordinal);

    [Fact]
    public void A_password_is_measured_in_characters_not_utf16_units() =>
        Assert.Null(PasswordRules.Validate(string.Concat(Enumerable.Repeat("🔑", 10)), "x")); // 10 characters, 20 units

    [Theory]
    [InlineData("  Ada  ", "Ada")]
    [InlineData("👩‍💻 coder", "👩‍💻 coder")] // zero-width joiner is a format character, allowed
    public void Names_are_trimmed(string input, string expected)
    {
        Assert.Null(TextRules.ValidateName(input, "name", 64, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("a\u2028b")]
    [InlineData("a\u2066b")]
    [InlineData("a\u0000b")]
    public void Names_refuse_layout_breaking_characters(string input) =>
        Assert.NotNull(TextRules.ValidateName(input, "name", 64, out _));

    [Fact]
    public void Names_refuse_unpaired_surrogates()
    {
        Assert.Contains("surrogate", TextRules.ValidateName("a" + (char)0xD800 + "b", "name", 64, out _), StringComparison.Ordinal);
        Assert.Contains("surrogate", TextRules.ValidateName("a" + (char)0xDC00, "name", 64, out _), StringComparison.Ordinal);
    }
}
