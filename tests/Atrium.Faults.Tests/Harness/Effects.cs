using Dapper;
using Npgsql;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// Counts effects in the database, where the API cannot tell (it shows one row, not how many there are): every write
/// of the workload carries its key in its content, so copies of one effect share a value.
/// </summary>
internal static class Effects
{
    /// <summary>How many links point at each target starting with <paramref name="prefix"/>.</summary>
    public static Task<Dictionary<string, long>> LinksAsync(NpgsqlDataSource database, string prefix, CancellationToken cancellationToken) =>
        CountAsync(database, "SELECT url AS Value, COUNT(*) AS Copies FROM links_links WHERE url LIKE @pattern GROUP BY url", prefix, cancellationToken);

    /// <summary>How many posts have each text starting with <paramref name="prefix"/>.</summary>
    public static Task<Dictionary<string, long>> PostsAsync(NpgsqlDataSource database, string prefix, CancellationToken cancellationToken) =>
        CountAsync(database, "SELECT text AS Value, COUNT(*) AS Copies FROM feed_posts WHERE text LIKE @pattern GROUP BY text", prefix, cancellationToken);

    /// <summary>How many chat messages have each clientMessageId starting with <paramref name="prefix"/> (any conversation, any sender).</summary>
    public static Task<Dictionary<string, long>> MessagesAsync(NpgsqlDataSource database, string prefix, CancellationToken cancellationToken) =>
        CountAsync(database, "SELECT client_message_id AS Value, COUNT(*) AS Copies FROM chat_messages WHERE client_message_id LIKE @pattern GROUP BY client_message_id", prefix, cancellationToken);

    /// <summary>Extra copies: the sum over values of (copies − 1).</summary>
    public static long Duplicates(IReadOnlyDictionary<string, long> copies) => copies.Values.Sum(c => Math.Max(0, c - 1));

    private static async Task<Dictionary<string, long>> CountAsync(NpgsqlDataSource database, string sql, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CopyCount>(new CommandDefinition(sql, new { pattern = prefix + "%" }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Value, r => r.Copies);
    }
}
