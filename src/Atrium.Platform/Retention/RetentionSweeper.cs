using System.Diagnostics.Metrics;
using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Observability;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Retention;

/// <summary>
/// The one retention mechanism: every <see cref="RetentionOptions.Interval"/> it deletes, table by table, the rows
/// older than each <see cref="RetentionTable"/>'s window, in batches of <see cref="RetentionOptions.BatchSize"/>
/// until a batch comes back short. Deletes are idempotent, so several nodes may sweep at once. A failed sweep is
/// logged and tried again next round; the loop never ends the host.
/// </summary>
internal sealed partial class RetentionSweeper : BackgroundService
{
    private readonly IDatabase _database;
    private readonly IReadOnlyList<RetentionTable> _tables;
    private readonly IOptions<RetentionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ServiceSupervisor _supervisor;
    private readonly ILogger<RetentionSweeper> _logger;
    private readonly Counter<long> _deleted;

    public const string ServiceName = "platform.retention-sweeper";

    public RetentionSweeper(
        IDatabase database,
        IEnumerable<RetentionTable> tables,
        IOptions<RetentionOptions> options,
        TimeProvider time,
        IMeterFactory meters,
        ServiceSupervisor supervisor,
        ILogger<RetentionSweeper> logger)
    {
        _supervisor = supervisor;
        _database = database;
        _tables = tables.ToList();
        _options = options;
        _time = time;
        _logger = logger;
        _deleted = meters.Create(PlatformMetrics.MeterName)
            .CreateCounter<long>("atrium.retention.deleted", "{row}", "Rows the retention sweeper deleted, by table.");
    }

    // A round with a failed table reports the service failing (health, metrics) and is run again after the
    // supervisor's backoff; the other tables were swept all the same.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            while (true)
            {
                var failed = new List<Exception>();
                await SweepAsync(failed, ct);
                if (failed.Count > 0)
                {
                    throw new AggregateException("Retention: a table could not be swept.", failed);
                }

                run.Healthy();
                await Task.Delay(_options.Value.Interval, _time, ct);
            }
        }, stoppingToken);

    /// <summary>One sweep of every table; returns the rows deleted per table. A table that fails is skipped this round.</summary>
    public Task<IReadOnlyDictionary<string, long>> SweepAsync(CancellationToken cancellationToken) => SweepAsync([], cancellationToken);

    private async Task<IReadOnlyDictionary<string, long>> SweepAsync(List<Exception> failed, CancellationToken cancellationToken)
    {
        var deleted = new Dictionary<string, long>();
        foreach (var table in _tables)
        {
            try
            {
                deleted[table.Table] = await SweepAsync(table, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogSweepFailed(ex, table.Table);
                failed.Add(ex);
            }
        }

        return deleted;
    }

    private async Task<long> SweepAsync(RetentionTable table, CancellationToken cancellationToken)
    {
        var batch = _options.Value.BatchSize;
        var cutoff = (_time.GetUtcNow() - table.Window).ToUnixTimeMilliseconds();

        // A row's physical address picks the batch: the same statement for tables with any primary key.
        var row = _database.Dialect == SqlDialect.Postgres ? "ctid" : "rowid";
        var sql = $"DELETE FROM {table.Table} WHERE {row} IN (SELECT {row} FROM {table.Table} WHERE {table.TimeColumn} < @cutoff LIMIT @batch)";
        long total = 0;
        while (true)
        {
            int count;
            await using (var connection = await _database.OpenPrimaryAsync(cancellationToken))
            {
                count = await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff, batch }, cancellationToken: cancellationToken));
            }

            total += count;
            if (count > 0)
            {
                _deleted.Add(count, new KeyValuePair<string, object?>("table", table.Table));
            }

            if (count < batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogSwept(table.Table, total, table.Window);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} row(s) of {Table} older than {Window}")]
    private partial void LogSwept(string table, long count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep of {Table} failed; trying again next round")]
    private partial void LogSweepFailed(Exception exception, string table);
}
