using System.Data.Common;
using Atrium.Links.Events;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Links.Data;

/// <summary>SQL over <c>links_clicks_hourly</c>: upserts from the aggregator, roll-ups for the stats endpoint.</summary>
internal sealed class ClickStatsStore(IDatabase database)
{
    public static Task AddAsync(DbTransaction transaction, IReadOnlyList<ClickCount> counts, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO links_clicks_hourly (code, hour, referrer_host, browser, is_bot, clicks)
            VALUES (@Code, @Hour, @ReferrerHost, @Browser, @bot, @Clicks)
            ON CONFLICT (code, hour, referrer_host, browser, is_bot)
            DO UPDATE SET clicks = links_clicks_hourly.clicks + excluded.clicks
            """,
            // In key order: two nodes' aggregators upserting overlapping rows then lock them in the same order and wait
            // for each other instead of deadlocking (PostgreSQL aborted one per second, found by the faults suite).
            counts.OrderBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.Hour).ThenBy(c => c.ReferrerHost, StringComparer.Ordinal)
                .ThenBy(c => c.Browser, StringComparer.Ordinal).ThenBy(c => c.IsBot)
                .Select(c => new { c.Code, c.Hour, c.ReferrerHost, c.Browser, bot = c.IsBot ? 1 : 0, c.Clicks }),
            transaction, cancellationToken: cancellationToken));

    /// <summary>The link's clicks since <paramref name="sinceHour"/> (unix seconds), grouped four ways.</summary>
    public async Task<ClickRollup> GetAsync(string code, long sinceHour, int top, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var args = new { code, sinceHour, top };
        // SUM over BIGINT is NUMERIC in PostgreSQL: cast back, so both dialects return 64-bit integers.
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT CAST(COALESCE(SUM(clicks), 0) AS BIGINT) AS Total, CAST(COALESCE(SUM(CASE WHEN is_bot = 1 THEN clicks ELSE 0 END), 0) AS BIGINT) AS Bots
            FROM links_clicks_hourly WHERE code = @code AND hour >= @sinceHour;

            SELECT hour / 86400 AS Day, CAST(SUM(clicks) AS BIGINT) AS Clicks, CAST(SUM(CASE WHEN is_bot = 1 THEN clicks ELSE 0 END) AS BIGINT) AS Bots
            FROM links_clicks_hourly WHERE code = @code AND hour >= @sinceHour GROUP BY hour / 86400 ORDER BY Day;

            SELECT referrer_host AS Name, CAST(SUM(clicks) AS BIGINT) AS Clicks
            FROM links_clicks_hourly WHERE code = @code AND hour >= @sinceHour
            GROUP BY referrer_host ORDER BY Clicks DESC, Name LIMIT @top;

            SELECT browser AS Name, CAST(SUM(clicks) AS BIGINT) AS Clicks
            FROM links_clicks_hourly WHERE code = @code AND hour >= @sinceHour AND is_bot = 0
            GROUP BY browser ORDER BY Clicks DESC, Name LIMIT @top;
            """,
            args, cancellationToken: cancellationToken));
        var totals = await results.ReadSingleAsync<TotalsRow>();
        var days = (await results.ReadAsync<DayRow>()).AsList();
        var referrers = (await results.ReadAsync<NamedCount>()).AsList();
        var browsers = (await results.ReadAsync<NamedCount>()).AsList();
        return new ClickRollup(totals.Total, totals.Bots, days, referrers, browsers);
    }

    private sealed class TotalsRow
    {
        public long Total { get; set; }

        public long Bots { get; set; }
    }
}

// Classes with setters, not positional records: SQLite reports computed columns of an empty result
// as untyped, and Dapper converts values into properties but needs exact types for constructors.
internal sealed class DayRow
{
    public long Day { get; set; }

    public long Clicks { get; set; }

    public long Bots { get; set; }
}

internal sealed class NamedCount
{
    public string Name { get; set; } = "";

    public long Clicks { get; set; }
}

internal sealed record ClickRollup(long Total, long Bots, IReadOnlyList<DayRow> Days, IReadOnlyList<NamedCount> Referrers, IReadOnlyList<NamedCount> Browsers);
