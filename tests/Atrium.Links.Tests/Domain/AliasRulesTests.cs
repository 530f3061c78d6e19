using Atrium.Links.Domain;
using Xunit;

namespace Atrium.Links.Tests.Domain;

public sealed class AliasRulesTests
{
    public static TheoryData<string> ReservedWordsAtLeast3Long =>
        [.. ReservedWords.All.Where(word => word.Length >= AliasRules.MinLength)];

    [Theory]
    [InlineData("abc")]
    [InlineData("my-link")]
    [InlineData("my_link")]
    [InlineData("abc-def")]
    [InlineData("abcdef")]
    [InlineData("abcdefgh")]
    [InlineData("Spring2025")]
    [InlineData("apis")]
    [InlineData("my-api")]
    [InlineData("___")]
    [InlineData("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")]
    public void Accepts_valid_aliases(string alias)
    {
        Assert.Null(AliasRules.Validate(alias));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Refuses_an_empty_alias(string? alias)
    {
        Assert.Contains("empty", AliasRules.Validate(alias!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm")]
    public void Refuses_aliases_shorter_than_3_or_longer_than_64(string alias)
    {
        Assert.Contains("3 to 64 characters", AliasRules.Validate(alias), StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_exactly_3_and_exactly_64_characters()
    {
        Assert.Null(AliasRules.Validate(new string('x', 3)));
        Assert.Null(AliasRules.Validate(new string('x', 64)));
        Assert.NotNull(AliasRules.Validate(new string('x', 65)));
    }

    [Theory]
    [InlineData("my link")]
    [InlineData("my.link")]
    [InlineData("my/link")]
    [InlineData("my+link")]
    [InlineData("link?")]
    [InlineData("héllo")]
    [InlineData("abc%20")]
    [InlineData("tab\tx")]
    public void Refuses_characters_outside_letters_digits_dash_and_underscore(string alias)
    {
        Assert.Contains("may contain only", AliasRules.Validate(alias), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReservedWordsAtLeast3Long))]
    public void Refuses_every_reserved_word_in_any_case(string word)
    {
        Assert.Contains("reserved by Atrium", AliasRules.Validate(word), StringComparison.Ordinal);
        Assert.Contains("reserved by Atrium", AliasRules.Validate(word.ToUpperInvariant()), StringComparison.Ordinal);
        Assert.Contains(
            "reserved by Atrium",
            AliasRules.Validate(char.ToUpperInvariant(word[0]) + word[1..]),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("ADMIN")]
    [InlineData("Health")]
    [InlineData("favicon")]
    [InlineData("robots")]
    [InlineData("links")]
    [InlineData("ws")]
    public void The_reserved_word_list_contains_the_root_routes(string word)
    {
        Assert.True(ReservedWords.Contains(word), $"{word} is not reserved");
        Assert.NotNull(AliasRules.Validate(word));
    }

    [Theory]
    [InlineData("abcdefg")]
    [InlineData("ABC1234")]
    [InlineData("0000000")]
    [InlineData("zzzzzzz")]
    [InlineData("Welcome")]
    public void Refuses_7_letters_and_digits_because_that_shape_is_a_generated_code(string alias)
    {
        var error = AliasRules.Validate(alias);
        Assert.Contains("reserved for generated codes", error, StringComparison.Ordinal);
        Assert.Contains("collide", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_code_shape_is_refused_but_7_characters_with_a_dash_are_not()
    {
        var codec = new LinkCodec(42);
        for (var id = 0L; id < 1_000; id++)
        {
            Assert.NotNull(AliasRules.Validate(codec.Encode(id)));
        }

        Assert.Null(AliasRules.Validate("abc-efg"));
        Assert.Null(AliasRules.Validate("_abcdef"));
    }
}
