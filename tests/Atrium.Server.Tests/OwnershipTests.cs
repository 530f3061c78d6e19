using System.Net;
using System.Net.Http.Json;
using System.Text;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>A link belongs to whoever created it; anyone else — another user, or nobody — learns nothing about it (404).</summary>
public sealed class OwnershipTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _owner = fixture.CreateClient();

    [Fact]
    public async Task Another_users_link_answers_404_to_every_management_call()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        using var stranger = await fixture.CreateClientOfNewUserAsync();

        await AssertNotFoundAsync(stranger, link.Code);
        var unknown = TestData.Alias("none");
        await AssertNotFoundAsync(stranger, unknown); // the same answer as a link that does not exist

        // The owner still manages it, and the stranger's attempts changed nothing.
        var metadata = await _owner.GetLinkAsync(link.Code);
        Assert.Null(metadata.DisabledAt);
        Assert.Equal(link.Url, metadata.Url);
    }

    [Fact]
    public async Task An_anonymous_link_redirects_but_nobody_can_manage_it()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        var link = await anonymous.CreateLinkAsync(TestData.Url());

        using var redirect = await anonymous.GetPathAsync($"/{link.Code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);

        await AssertNotFoundAsync(_owner, link.Code);
        using var unsigned = await anonymous.GetPathAsync($"{Api.LinksPath}/{link.Code}");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task Management_without_credentials_answers_401()
    {
        using var anonymous = fixture.CreateAnonymousClient();
        using var list = await anonymous.GetPathAsync(Api.LinksPath);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        using var bogus = fixture.CreateAnonymousClient().WithApiKey("atr_not-a-real-key");
        using var withBadKey = await bogus.PostLinkAsync(new NewLink(TestData.Url()));
        Assert.Equal(HttpStatusCode.Unauthorized, withBadKey.StatusCode); // a wrong credential is not "anonymous"
    }

    [Fact]
    public async Task My_links_page_newest_first_without_gaps_or_repeats_while_links_are_added()
    {
        using var me = await fixture.CreateClientOfNewUserAsync();
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            created.Add((await me.CreateLinkAsync(TestData.Url($"list{i}"))).Code);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(me, 10, cursor);
            seen.AddRange(page.Items.Select(l => l.Code));
            cursor = page.NextCursor;
            pages++;

            // Links created meanwhile are newer than every cursor: they appear on a fresh first page, never mid-list.
            await me.CreateLinkAsync(TestData.Url("meanwhile"));
        }
        while (cursor is not null && pages < 10);

        created.Reverse();
        Assert.Equal(created, seen);
        Assert.Equal(3, pages);

        using var stranger = await fixture.CreateClientOfNewUserAsync();
        Assert.Empty((await ListAsync(stranger, 10, null)).Items);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("cursor=not-a-cursor!")]
    [InlineData("cursor=YWJj")] // base64url of "abc": decodes, but is no position
    public async Task Bad_list_parameters_answer_400(string query)
    {
        using var response = await _owner.GetPathAsync($"{Api.LinksPath}?{query}");
        await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_changes_the_target_and_the_redirect_follows_at_once()
    {
        var link = await _owner.CreateLinkAsync(TestData.Url("before"));
        using (var first = await _owner.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(link.Url, first.Location()); // now cached
        }

        var target = TestData.Url("after");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(3);
        using var patched = await PatchAsync(_owner, link.Code, $$"""{"url":"{{target}}","expiresAt":"{{expiresAt:O}}","maxVisits":500}""");
        var body = await Api.ReadJsonAsync<LinkBody>(patched);
        Assert.Equal(target, body.Url);
        Assert.Equal(500, body.MaxVisits);
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), body.ExpiresAt!.Value.ToUnixTimeMilliseconds());

        using var after = await _owner.GetPathAsync($"/{link.Code}");
        Assert.Equal(target, after.Location());

        // null removes a limit; absent fields stay as they are.
        using var cleared = await PatchAsync(_owner, link.Code, """{"maxVisits":null}""");
        var clearedBody = await Api.ReadJsonAsync<LinkBody>(cleared);
        Assert.Null(clearedBody.MaxVisits);
        Assert.Equal(target, clearedBody.Url);
        Assert.NotNull(clearedBody.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"code":"other"}""", "Unknown or read-only field 'code'")]
    [InlineData("""{"url":42}""", "wrong type")]
    [InlineData("""{"url":"ftp://example.com/"}""", "http")]
    [InlineData("""{"maxVisits":0}""", "maxVisits")]
    [InlineData("""{"expiresAt":"2001-01-01T00:00:00Z"}""", "future")]
    [InlineData("""[1,2]""", "JSON object")]
    public async Task Bad_patches_answer_400_and_change_nothing(string patch, string expected)
    {
        var link = await _owner.CreateLinkAsync(TestData.Url());
        using var response = await PatchAsync(_owner, link.Code, patch);
        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(link.Url, (await _owner.GetLinkAsync(link.Code)).Url);
    }

    [Fact]
    public async Task A_permanent_link_cannot_be_given_an_expiry()
    {
        var link = await _owner.CreateLinkAsync(new NewLink(TestData.Url(), Permanent: true));
        using var response = await PatchAsync(_owner, link.Code, """{"expiresAt":"2099-01-01T00:00:00Z"}""");
        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("permanent", problem.Detail, StringComparison.Ordinal);
    }

    private static async Task AssertNotFoundAsync(HttpClient client, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        using var get = await client.GetPathAsync($"{Api.LinksPath}/{code}");
        await Api.ReadProblemAsync(get, HttpStatusCode.NotFound);
        using var stats = await client.GetPathAsync($"{Api.LinksPath}/{code}/stats");
        await Api.ReadProblemAsync(stats, HttpStatusCode.NotFound);
        using var patch = await PatchAsync(client, code, $$"""{"url":"{{TestData.Url("hijack")}}"}""");
        await Api.ReadProblemAsync(patch, HttpStatusCode.NotFound);
        using var delete = await client.DeleteAsync(Api.Relative($"{Api.LinksPath}/{code}"), ct);
        await Api.ReadProblemAsync(delete, HttpStatusCode.NotFound);
    }

    private static async Task<LinkPageBody> ListAsync(HttpClient client, int limit, string? cursor)
    {
        var query = cursor is null ? $"?limit={limit}" : $"?limit={limit}&cursor={Uri.EscapeDataString(cursor)}";
        using var response = await client.GetPathAsync(Api.LinksPath + query);
        return await Api.ReadJsonAsync<LinkPageBody>(response);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string code, string json) =>
        client.PatchAsync(
            Api.Relative($"{Api.LinksPath}/{code}"),
            new StringContent(json, Encoding.UTF8, "application/merge-patch+json"),
            TestContext.Current.CancellationToken);
}
