using System.Globalization;
using System.Net;
using Atrium.Accounts.Tests.Support;
using Xunit;

namespace Atrium.Accounts.Tests;

/// <summary><c>/api/v1/api-keys</c>: create (shown once), list, use as <c>X-Api-Key</c>, delete; another user's key is 404.</summary>
public sealed class ApiKeyTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_created_key_is_shown_once_listed_by_prefix_and_signs_its_owner_in()
    {
        var (account, session) = await _client.NewUserAsync();

        using var created = await _client.CreateKeyAsync(session.AccessToken, "  nightly backup  ");
        var text = await created.TextAsync();
        var key = await Api.ReadAsync<CreatedKeyBody>(created, HttpStatusCode.Created);

        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        Assert.Equal($"/api/v1/api-keys/{key.Id}", created.Headers.Location?.OriginalString);
        Assert.StartsWith("atr_", key.Key, StringComparison.Ordinal);
        Assert.Equal(47, key.Key.Length);
        Assert.Equal(key.Key[..12], key.Prefix);
        Assert.Equal("nightly backup", key.Name);
        Assert.True(long.TryParse(key.Id, NumberStyles.None, CultureInfo.InvariantCulture, out _), key.Id);
        Assert.Contains($"\"id\":\"{key.Id}\"", text, StringComparison.Ordinal);

        var listed = Assert.Single((await _client.ListKeysAsync(session.AccessToken)).Items);
        Assert.Equal(new KeyBody(key.Id, key.Name, key.Prefix, key.CreatedAt, null), listed);

        Assert.Equal(account, await _client.MeOkAsync(apiKey: key.Key));
        var used = Assert.Single((await _client.ListKeysAsync(session.AccessToken)).Items);
        Assert.NotNull(used.LastUsedAt);
        Assert.DoesNotContain(key.Key, await (await _client.SendAsync(HttpMethod.Get, "/api/v1/api-keys", session.AccessToken)).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_can_manage_keys_too_and_lists_newest_first()
    {
        var (_, session) = await _client.NewUserAsync();
        var first = await _client.CreateKeyOkAsync(session.AccessToken, "first");
        using var second = await _client.SendAsync(HttpMethod.Post, "/api/v1/api-keys", apiKey: first.Key, body: new { name = "second" });
        await Api.ReadAsync<CreatedKeyBody>(second, HttpStatusCode.Created);

        var names = (await _client.ListKeysAsync(session.AccessToken)).Items.Select(k => k.Name);
        Assert.Equal(["second", "first"], names);
    }

    [Fact]
    public async Task A_deleted_key_stops_working_at_once_and_deleting_it_again_is_404()
    {
        var (_, session) = await _client.NewUserAsync();
        var key = await _client.CreateKeyOkAsync(session.AccessToken);
        await _client.MeOkAsync(apiKey: key.Key); // now cached

        using var deleted = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{key.Id}", session.AccessToken);
        using var after = await _client.MeAsync(apiKey: key.Key);
        using var again = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{key.Id}", session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains("does not exist or was deleted", (await Api.ReadProblemAsync(after, HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
        await Api.ReadProblemAsync(again, HttpStatusCode.NotFound);
        Assert.Empty((await _client.ListKeysAsync(session.AccessToken)).Items);
    }

    [Fact]
    public async Task Another_users_key_is_not_found_and_keeps_working()
    {
        var (owner, ownerSession) = await _client.NewUserAsync();
        var (_, intruder) = await _client.NewUserAsync();
        var key = await _client.CreateKeyOkAsync(ownerSession.AccessToken);

        using var delete = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{key.Id}", intruder.AccessToken);

        Assert.Contains(key.Id, (await Api.ReadProblemAsync(delete, HttpStatusCode.NotFound)).Detail, StringComparison.Ordinal);
        Assert.Empty((await _client.ListKeysAsync(intruder.AccessToken)).Items);
        Assert.Equal(owner, await _client.MeOkAsync(apiKey: key.Key));
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task A_key_id_that_is_no_id_is_404(string id)
    {
        var (_, session) = await _client.NewUserAsync();
        using var response = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{id}", session.AccessToken);
        await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_may_hold_20_keys_and_deleting_one_makes_room()
    {
        var (_, session) = await _client.NewUserAsync();
        var keys = new List<CreatedKeyBody>();
        for (var i = 0; i < 20; i++)
        {
            keys.Add(await _client.CreateKeyOkAsync(session.AccessToken, $"key {i}"));
        }

        using var tooMany = await _client.CreateKeyAsync(session.AccessToken);
        Assert.Contains("20 API keys", (await Api.ReadProblemAsync(tooMany, HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);

        using var deleted = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{keys[3].Id}", session.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await _client.CreateKeyOkAsync(session.AccessToken);
        Assert.Equal(20, (await _client.ListKeysAsync(session.AccessToken)).Items.Count);
    }

    [Theory]
    [InlineData("""{}""", "name is required")]
    [InlineData("""{"name":"  "}""", "name must not be blank")]
    [InlineData("""{"name":"tab\there"}""", "control or layout characters")]
    [InlineData("""{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", "at most 64")]
    public async Task Invalid_key_names_answer_400(string body, string expected)
    {
        var (_, session) = await _client.NewUserAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Relative("/api/v1/api-keys"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", session.AccessToken);
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Contains(expected, (await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("atr_")]
    [InlineData("not-even-the-prefix")]
    [InlineData("atr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_key_is_401(string apiKey)
    {
        using var response = await _client.MeAsync(apiKey: apiKey);
        await Api.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_endpoints_need_a_signed_in_user()
    {
        using var create = await _client.SendAsync(HttpMethod.Post, "/api/v1/api-keys", body: new { name = "x" });
        using var list = await _client.SendAsync(HttpMethod.Get, "/api/v1/api-keys");
        using var delete = await _client.SendAsync(HttpMethod.Delete, "/api/v1/api-keys/1");

        await Api.ReadProblemAsync(create, HttpStatusCode.Unauthorized);
        await Api.ReadProblemAsync(list, HttpStatusCode.Unauthorized);
        await Api.ReadProblemAsync(delete, HttpStatusCode.Unauthorized);
    }
}
