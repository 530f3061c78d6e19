using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>The operator's dead-letter API (<c>/api/v1/admin/dead-letters</c>), as an operator would call it.</summary>
public static class DeadLetterAdmin
{
    /// <summary>Every dead letter (all pages).</summary>
    public static async Task<IReadOnlyList<JsonElement>> ListAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var letters = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/admin/dead-letters?after={after}&limit=200", UriKind.Relative));
            request.Headers.Add("X-Admin-Key", AtriumNode.AdminKey);
            using var response = await client.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            letters.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.Clone()));
            if (page.GetProperty("nextAfter").ValueKind != JsonValueKind.Number)
            {
                return letters;
            }

            after = page.GetProperty("nextAfter").GetInt64();
        }
    }

    /// <summary>Replays one dead letter; returns the status (202 Accepted, 404 when it is gone).</summary>
    public static async Task<HttpStatusCode> ReplayAsync(HttpClient client, long id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/admin/dead-letters/{id}/replay", UriKind.Relative));
        request.Headers.Add("X-Admin-Key", AtriumNode.AdminKey);
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The clicks a dead-lettered <c>links.clicks-recorded</c> event carries (the sum of its counts).</summary>
    public static long ClicksIn(JsonElement letter)
    {
        using var payload = JsonDocument.Parse(letter.GetProperty("payload").GetString()!);
        return payload.RootElement.GetProperty("counts").EnumerateArray().Sum(c => c.GetProperty("clicks").GetInt64());
    }
}
