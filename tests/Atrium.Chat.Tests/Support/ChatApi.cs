using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Atrium.Chat.Tests.Support;

/// <summary>The chat HTTP API as the tests call it.</summary>
internal static class ChatApi
{
    public static Uri Relative(string path) => new(path, UriKind.Relative);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpResponseMessage> PostConversationAsync(this HttpClient client, object body) =>
        await client.PostAsJsonAsync(Relative("/api/v1/conversations"), body, Ct);

    /// <summary>Creates a conversation (201 or 200 for an existing direct one) and returns its JSON.</summary>
    public static async Task<JsonElement> CreateConversationAsync(this HttpClient client, string[] members, string? title = null)
    {
        using var response = await client.PostConversationAsync(new { members, title });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<HttpResponseMessage> PostMessageAsync(this HttpClient client, string conversationId, string clientMessageId, string text) =>
        await client.PostAsJsonAsync(Relative($"/api/v1/conversations/{conversationId}/messages"), new { clientMessageId, text }, Ct);

    /// <summary>Sends over HTTP, expecting 201 or 200; returns the seq.</summary>
    public static async Task<long> SendAsync(this HttpClient client, string conversationId, string text, string? clientMessageId = null)
    {
        using var response = await client.PostMessageAsync(conversationId, clientMessageId ?? Guid.NewGuid().ToString("N"), text);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("seq").GetInt64();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(Relative(path), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<HttpStatusCode> StatusOfGetAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(Relative(path), Ct);
        return response.StatusCode;
    }

    public static string Id(this JsonElement conversation) => conversation.GetProperty("id").GetString()!;
}
