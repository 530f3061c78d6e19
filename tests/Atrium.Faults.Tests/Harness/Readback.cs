using System.Text.Json;
using Atrium.Testing;

namespace Atrium.Faults.Tests.Harness;

/// <summary>Reads effects back through the API for the invariant checks (not recorded in the ledger).</summary>
internal static class Readback
{
    /// <summary>A conversation's whole history as <paramref name="member"/> sees it, paged with <c>before</c>, ascending seq.</summary>
    public static async Task<IReadOnlyList<SeenMessage>> HistoryAsync(HttpClient client, TestUser member, string conversationId, CancellationToken cancellationToken)
    {
        var all = new List<SeenMessage>();
        long? before = null;
        while (true)
        {
            var path = $"/api/v1/conversations/{conversationId}/messages?limit=100" + (before is { } b ? $"&before={b}" : "");
            var (status, body) = await AtriumApi.GetAsync(client, member, path, cancellationToken);
            if (status != 200)
            {
                throw new InvalidOperationException($"History of {conversationId}: {status} {body}");
            }

            using var page = JsonDocument.Parse(body);
            var items = page.RootElement.GetProperty("items").EnumerateArray()
                .Select(m => new SeenMessage(m.GetProperty("seq").GetInt64(), m.GetProperty("clientMessageId").GetString()!, m.GetProperty("text").GetString()!))
                .ToList();
            all.InsertRange(0, items);
            if (!page.RootElement.GetProperty("hasMore").GetBoolean() || items.Count == 0)
            {
                return all;
            }

            before = items[0].Seq;
        }
    }

    /// <summary>The conversation's last seq as <paramref name="member"/> sees it.</summary>
    public static async Task<long> LastSeqAsync(HttpClient client, TestUser member, string conversationId, CancellationToken cancellationToken)
    {
        var (status, body) = await AtriumApi.GetAsync(client, member, $"/api/v1/conversations/{conversationId}", cancellationToken);
        return status == 200
            ? JsonDocument.Parse(body).RootElement.GetProperty("lastSeq").GetInt64()
            : throw new InvalidOperationException($"Conversation {conversationId}: {status} {body}");
    }

    /// <summary>Where <c>GET /{code}</c> redirects to (null: no redirect).</summary>
    public static async Task<string?> RedirectTargetAsync(HttpClient client, string code, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri("/" + code, UriKind.Relative), cancellationToken);
        return (int)response.StatusCode is 301 or 302 ? response.Headers.Location?.ToString() : null;
    }

    /// <summary>The link's target as its owner reads it (<c>GET /api/v1/links/{code}</c>; null: not found).</summary>
    public static async Task<string?> LinkTargetAsync(HttpClient client, TestUser owner, string code, CancellationToken cancellationToken)
    {
        var (status, body) = await AtriumApi.GetAsync(client, owner, $"/api/v1/links/{code}", cancellationToken);
        return status == 200 ? RecordedHttp.Property(body, "url") : null;
    }

    /// <summary>Every post id on <paramref name="reader"/>'s home timeline, newest first, paged with <c>cursor</c>.</summary>
    public static async Task<IReadOnlyList<string>> FeedIdsAsync(HttpClient client, TestUser reader, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        while (true)
        {
            var path = "/api/v1/feed?limit=40" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (status, body) = await AtriumApi.GetAsync(client, reader, path, cancellationToken);
            if (status != 200)
            {
                throw new InvalidOperationException($"Feed of {reader.Username}: {status} {body}");
            }

            using var page = JsonDocument.Parse(body);
            ids.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("post").GetProperty("id").GetString()!));
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                return ids;
            }
        }
    }

    /// <summary>The post's text as <paramref name="reader"/> reads it (null: not found).</summary>
    public static async Task<string?> PostTextAsync(HttpClient client, TestUser reader, string id, CancellationToken cancellationToken)
    {
        var (status, body) = await AtriumApi.GetAsync(client, reader, $"/api/v1/posts/{id}", cancellationToken);
        return status == 200 ? JsonDocument.Parse(body).RootElement.GetProperty("post").GetProperty("text").GetString() : null;
    }
}
