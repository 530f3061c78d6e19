using System.Net;
using System.Text.Json;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>Access to the dead-letter endpoints, and their answers with nothing dead-lettered.</summary>
public sealed class DeadLetterAdminTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task Listing_without_the_admin_key_answers_403_problem()
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Get, AdminRequests.DeadLetters, key: null);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("X-Admin-Key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_with_a_wrong_admin_key_answers_403_problem()
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Get, AdminRequests.DeadLetters, key: "not-the-key");

        await Api.ReadProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Listing_with_the_admin_key_answers_200_with_an_items_list()
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Get, AdminRequests.DeadLetters);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.TextAsync());
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("items").ValueKind);
        Assert.Empty(document.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("nextAfter").ValueKind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task A_page_size_out_of_range_answers_400(int limit)
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Get, $"{AdminRequests.DeadLetters}?limit={limit}");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("limit", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_an_unknown_dead_letter_answers_404_problem()
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Post, $"{AdminRequests.DeadLetters}/987654321/replay");

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("987654321", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_without_the_admin_key_answers_403_problem()
    {
        using var response = await _client.SendAdminAsync(HttpMethod.Post, $"{AdminRequests.DeadLetters}/1/replay", key: null);

        await Api.ReadProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
