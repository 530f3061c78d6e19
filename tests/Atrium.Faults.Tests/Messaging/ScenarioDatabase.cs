using Atrium.Faults.Tests.Ledger;
using Dapper;
using Npgsql;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// Reads a scenario's PostgreSQL database directly, as the invariant checker: the click aggregates, the outbox and
/// the inbox (read from the primary, not through the API, so no cache or replica stands between the check and
/// what was committed).
/// </summary>
public sealed class ScenarioDatabase(string connectionString) : IAsyncDisposable
{
    public const string ClickConsumer = "links.click-aggregator";

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>Clicks stored per link code.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ClicksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, long Clicks)>(new CommandDefinition(
            "SELECT code, CAST(SUM(clicks) AS BIGINT) FROM links_clicks_hourly GROUP BY code", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Code, r => r.Clicks, StringComparer.Ordinal);
    }

    /// <summary>Events committed to the outbox and not yet relayed.</summary>
    public Task<long> OutboxAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT COUNT(*) FROM platform_outbox", null, cancellationToken);

    /// <summary>Events a consumer applied (its inbox rows: one per event, written in the handler's transaction).</summary>
    public Task<long> InboxAsync(string consumer, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT COUNT(*) FROM platform_inbox WHERE consumer = @consumer", new { consumer }, cancellationToken);

    /// <summary>Events given up on (<c>platform_dead_letters</c>).</summary>
    public Task<long> DeadLettersAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT COUNT(*) FROM platform_dead_letters", null, cancellationToken);

    /// <summary>The database's sessions (state, lock wait, transaction age, query): where a stuck run waits.</summary>
    public async Task<string> SessionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT concat_ws(' | ', pid, state, wait_event_type, wait_event,
                   CAST(EXTRACT(EPOCH FROM now() - xact_start) AS BIGINT) || ' s in transaction', left(query, 80))
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """, cancellationToken: cancellationToken));
        return string.Join('\n', rows);
    }

    /// <summary>The click invariant per link against the ledger's redirects.</summary>
    public async Task<ClickTally> TallyAsync(OperationLedger ledger, CancellationToken cancellationToken)
    {
        var applied = await ClicksAsync(cancellationToken);
        var redirects = ledger.Operations.Where(o => o.Kind == ClickWorkload.Kind).ToList();
        var acknowledged = redirects.Where(o => o.Outcome == Outcome.Ok).CountBy(o => o.Key).ToDictionary(StringComparer.Ordinal);
        var unknown = redirects.Where(o => o.Outcome is Outcome.Unknown or Outcome.Invoked).CountBy(o => o.Key).ToDictionary(StringComparer.Ordinal);
        long lost = 0, duplicated = 0;
        foreach (var code in acknowledged.Keys.Union(unknown.Keys).Union(applied.Keys))
        {
            var ok = acknowledged.GetValueOrDefault(code);
            var maybe = unknown.GetValueOrDefault(code);
            var stored = applied.GetValueOrDefault(code);
            lost += Math.Max(0, ok - stored);
            duplicated += Math.Max(0, stored - ok - maybe);
        }

        return new ClickTally(acknowledged.Values.Sum(), unknown.Values.Sum(), applied.Values.Sum(), lost, duplicated);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private async Task<long> ScalarAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
