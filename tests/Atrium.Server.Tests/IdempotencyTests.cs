using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

public sealed class IdempotencyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    private static string NewKey() => $"key-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_same_key_and_body_answer_the_same_link_twice_with_201()
    {
        var key = NewKey();
        var link = new NewLink(TestData.Url());

        using var first = await _client.PostLinkAsync(link, key);
        using var second = await _client.PostLinkAsync(link, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.TextAsync(), await second.TextAsync());
        Assert.Equal(first.Location(), second.Location());
    }

    [Fact]
    public async Task A_replay_with_every_option_answers_an_identical_body()
    {
        var key = NewKey();
        var link = new NewLink(TestData.Url(), TestData.Alias("idem"), new DateTimeOffset(2099, 3, 4, 5, 6, 7, TimeSpan.Zero), MaxVisits: 3);

        using var first = await _client.PostLinkAsync(link, key);
        using var second = await _client.PostLinkAsync(link, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.TextAsync(), await second.TextAsync());
    }

    [Fact]
    public async Task A_replay_answers_an_identical_body_when_expiresAt_has_an_offset_and_sub_millisecond_digits()
    {
        var key = NewKey();
        var body = $$"""{"url":"{{TestData.Url()}}","expiresAt":"2099-01-01T12:00:00.1234567+02:00"}""";

        using var first = await _client.PostRawAsync(body, idempotencyKey: key);
        using var second = await _client.PostRawAsync(body, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.TextAsync(), await second.TextAsync());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_answers_422()
    {
        var key = NewKey();
        var original = await Api.ReadCreatedAsync(await _client.PostLinkAsync(new NewLink(TestData.Url("one")), key));

        using var reused = await _client.PostLinkAsync(new NewLink(TestData.Url("two")), key);
        using var again = await _client.PostLinkAsync(new NewLink(original.Url), key);

        var problem = await Api.ReadProblemAsync(reused, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Idempotency-Key", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(original.Code, (await Api.ReadCreatedAsync(again)).Code);
    }

    [Fact]
    public async Task Different_keys_with_the_same_body_make_different_links()
    {
        var link = new NewLink(TestData.Url());

        var first = await Api.ReadCreatedAsync(await _client.PostLinkAsync(link, NewKey()));
        var second = await Api.ReadCreatedAsync(await _client.PostLinkAsync(link, NewKey()));

        Assert.NotEqual(first.Code, second.Code);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünïcode")]
    public async Task An_invalid_key_answers_400(string key)
    {
        using var response = await _client.PostLinkAsync(new NewLink(TestData.Url()), key);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_answers_400_and_255_is_fine()
    {
        var longest = (NewKey() + new string('k', 255))[..255];

        using var tooLong = await _client.PostLinkAsync(new NewLink(TestData.Url()), longest + "k");
        using var fine = await _client.PostLinkAsync(new NewLink(TestData.Url()), longest);

        await Api.ReadProblemAsync(tooLong, HttpStatusCode.BadRequest);
        await Api.ReadCreatedAsync(fine);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_one_link()
    {
        var key = NewKey();
        var link = new NewLink(TestData.Url());

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await _client.PostLinkAsync(link, key);
            return (response.StatusCode, Body: await response.TextAsync());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_and_an_alias_create_one_link()
    {
        var key = NewKey();
        var link = new NewLink(TestData.Url(), TestData.Alias("race"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await _client.PostLinkAsync(link, key);
            return (response.StatusCode, Body: await response.TextAsync());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task A_request_refused_for_its_alias_does_not_use_up_the_key()
    {
        var key = NewKey();
        var alias = TestData.Alias("taken");
        await _client.CreateLinkAsync(TestData.Url(), alias);

        using var conflict = await _client.PostLinkAsync(new NewLink(TestData.Url(), alias), key);
        using var retry = await _client.PostLinkAsync(new NewLink(TestData.Url(), TestData.Alias("free")), key);

        await Api.ReadProblemAsync(conflict, HttpStatusCode.Conflict);
        await Api.ReadCreatedAsync(retry);
    }
}
