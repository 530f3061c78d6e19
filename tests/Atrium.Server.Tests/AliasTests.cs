using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class AliasTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task A_taken_alias_answers_409()
    {
        var alias = TestData.Alias();
        var original = TestData.Url("first");
        await _client.CreateLinkAsync(original, alias);

        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url("second"), alias));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(alias, problem.Detail, StringComparison.Ordinal);
        using var redirect = await _client.GetPathAsync($"/{alias}");
        Assert.Equal(original, redirect.Location());
    }

    [Fact]
    public async Task Concurrent_claims_of_one_alias_give_it_to_exactly_one()
    {
        var alias = TestData.Alias("race");
        var urls = Enumerable.Range(0, 12).Select(i => TestData.Url($"claim-{i}")).ToList();

        var answers = await Task.WhenAll(urls.Select(async url =>
        {
            using var response = await _client.PostLinkAsync(new NewLink(url, alias));
            return (Url: url, response.StatusCode);
        }));

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a != winner), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        using var redirect = await _client.GetPathAsync($"/{alias}");
        Assert.Equal(winner.Url, redirect.Location());
    }

    [Fact]
    public async Task Aliases_are_unique_case_sensitively()
    {
        var lower = TestData.Alias("case");
        var upper = lower.ToUpperInvariant();
        var lowerUrl = TestData.Url("lower");
        var upperUrl = TestData.Url("upper");

        await _client.CreateLinkAsync(lowerUrl, lower);
        var second = await _client.CreateLinkAsync(upperUrl, upper);

        Assert.Equal(upper, second.Code);
        using var toLower = await _client.GetPathAsync($"/{lower}");
        using var toUpper = await _client.GetPathAsync($"/{upper}");
        Assert.Equal(lowerUrl, toLower.Location());
        Assert.Equal(upperUrl, toUpper.Location());
    }

    [Theory]
    [InlineData("api")]
    [InlineData("API")]
    [InlineData("health")]
    [InlineData("alive")]
    [InlineData("metrics")]
    [InlineData("openapi")]
    [InlineData("docs")]
    [InlineData("admin")]
    [InlineData("Links")]
    public async Task Reserved_words_are_refused(string alias)
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("reserved", problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("abcDEF1")]
    [InlineData("0000000")]
    [InlineData("Zz9Zz9Z")]
    public async Task Seven_letters_and_digits_are_kept_for_generated_codes(string alias)
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("7", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seven_characters_with_a_dash_or_underscore_are_fine()
    {
        var suffix = Guid.NewGuid().ToString("N")[..3];
        var dashed = $"a-{suffix}xy";
        var underscored = $"b_{suffix}xy";

        Assert.Equal(dashed, (await _client.CreateLinkAsync(TestData.Url(), dashed)).Code);
        Assert.Equal(underscored, (await _client.CreateLinkAsync(TestData.Url(), underscored)).Code);
    }

    [Theory]
    [InlineData("ab", "3 to 64")]
    [InlineData("", "empty")]
    [InlineData("has space", "letters")]
    [InlineData("dot.ted", "letters")]
    [InlineData("slash/ed", "letters")]
    [InlineData("plus+", "letters")]
    [InlineData("ümlaut", "letters")]
    public async Task Malformed_aliases_are_refused(string alias, string detailMentions)
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_alias_of_65_characters_is_refused_and_64_accepted()
    {
        var longest = (TestData.Alias("x") + new string('y', 64))[..64];

        using var tooLong = await _client.PostLinkAsync(new NewLink(TestData.Url(), longest + "z"));
        var created = await _client.CreateLinkAsync(TestData.Url(), longest);

        var problem = await Api.ReadProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.Contains("65", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(longest, created.Code);
    }
}
