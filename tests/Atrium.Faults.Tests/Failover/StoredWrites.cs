using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Dapper;
using Npgsql;

namespace Atrium.Faults.Tests.Failover;

/// <summary>
/// What one PostgreSQL node holds of a workload's links, posts and chat messages, read in SQL (the API may answer from
/// a standby or a cache): each keyed by the content the workload put in it, with the code, post id or seq it is stored
/// under, so an acknowledged write is checked against exactly what it was acknowledged as.
/// </summary>
internal sealed class StoredWrites
{
    private readonly ILookup<string, string> _links;
    private readonly ILookup<string, string> _posts;
    private readonly ILookup<string, string> _messages;

    private StoredWrites(ILookup<string, string> links, ILookup<string, string> posts, ILookup<string, string> messages)
    {
        _links = links;
        _posts = posts;
        _messages = messages;
    }

    /// <summary>Extra copies of any one write (each is stored once, or it was applied twice).</summary>
    public long Duplicated => new[] { _links, _posts, _messages }.Sum(l => l.Sum(g => (long)g.Count() - 1));

    public static async Task<StoredWrites> ReadAsync(NpgsqlDataSource database, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        async Task<ILookup<string, string>> Read(string sql, string pattern) =>
            (await connection.QueryAsync<StoredWrite>(new CommandDefinition(sql, new { pattern = pattern + "%" }, cancellationToken: cancellationToken)))
            .ToLookup(r => r.Content, r => r.Value, StringComparer.Ordinal);

        return new StoredWrites(
            await Read("SELECT url AS Content, code AS Value FROM links_links WHERE url LIKE @pattern", AtriumApi.TargetOf(prefix)),
            await Read("SELECT text AS Content, CAST(id AS TEXT) AS Value FROM feed_posts WHERE text LIKE @pattern", AtriumApi.PostTextOf(prefix)),
            await Read("SELECT client_message_id AS Content, CAST(seq AS TEXT) AS Value FROM chat_messages WHERE client_message_id LIKE @pattern", prefix));
    }

    /// <summary>Whether the write of <paramref name="operation"/> is stored; when acknowledged, as what it was acknowledged as.</summary>
    public bool Holds(Operation operation)
    {
        var stored = operation.Kind switch
        {
            AtriumApi.LinkCreate => _links[AtriumApi.TargetOf(operation.Key)],
            AtriumApi.PostCreate => _posts[AtriumApi.PostTextOf(operation.Key)],
            AtriumApi.ChatSend => _messages[operation.Key],
            _ => throw new ArgumentException($"Not a write of this workload: {operation.Kind}", nameof(operation)),
        };
        return operation.Outcome == Outcome.Ok ? stored.Contains(operation.Value, StringComparer.Ordinal) : stored.Any();
    }
}
