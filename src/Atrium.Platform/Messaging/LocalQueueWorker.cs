using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Observability;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Runs the embedded shape's consumers over the queue table: each due delivery is applied with its
/// inbox row and removed from the queue in one transaction. A failure schedules the next attempt with
/// exponential backoff and full jitter; the last allowed failure moves the delivery to the dead letters.
/// </summary>
internal sealed partial class LocalQueueWorker(
    IDatabase database,
    ConsumerCatalog catalog,
    ConsumerRunner runner,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    PlatformMetrics metrics,
    ServiceSupervisor supervisor,
    ILogger<LocalQueueWorker> logger) : BackgroundService
{
    private readonly WorkSignal _signal = new();

    public void Wake() => _signal.Notify();

    public const string ServiceName = "platform.local-queue-worker";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, ProcessContinuouslyAsync, stoppingToken, Backoff.UpTo(options.Value.PollInterval, options.Value.RetryMaxDelay));

    private async Task ProcessContinuouslyAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        while (true)
        {
            var handled = await ProcessDueAsync(stoppingToken);
            run.Healthy();
            if (handled < options.Value.BatchSize)
            {
                await _signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Handles one batch of due deliveries; returns how many it took.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        List<QueueRow> due;
        await using (var connection = await database.OpenPrimaryAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<QueueRow>(new CommandDefinition(
                """
                SELECT consumer, event_id AS EventId, type, payload, occurred_at AS OccurredAt, attempts
                FROM platform_queue WHERE next_attempt_at <= @now ORDER BY next_attempt_at, event_id LIMIT @limit
                """,
                new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), limit = options.Value.BatchSize },
                cancellationToken: cancellationToken))).AsList();
        }

        foreach (var row in due)
        {
            await DeliverAsync(row, cancellationToken);
        }

        return due.Count;
    }

    private async Task DeliverAsync(QueueRow row, CancellationToken cancellationToken)
    {
        var envelope = new EventEnvelope(row.EventId, row.Type, row.Payload, DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt));
        if (!catalog.ByName.TryGetValue(row.Consumer, out var consumer))
        {
            await FailAsync(row, $"No consumer named '{row.Consumer}' is registered.", deadLetterNow: true, cancellationToken);
            return;
        }

        try
        {
            await using var connection = await database.OpenPrimaryAsync(cancellationToken);
            var fresh = await runner.ApplyAsync(consumer, envelope, connection, tx => connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM platform_queue WHERE consumer = @Consumer AND event_id = @EventId",
                row, tx, cancellationToken: cancellationToken)), cancellationToken);
            metrics.EventsConsumed.Add(1, new KeyValuePair<string, object?>("consumer", consumer.Name), new("duplicate", !fresh));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(ex, consumer.Name, row.EventId, row.Attempts + 1);
            await FailAsync(row, ex.ToString(), deadLetterNow: false, cancellationToken);
        }
    }

    private async Task FailAsync(QueueRow row, string error, bool deadLetterNow, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (deadLetterNow || attempts >= options.Value.MaxAttempts)
        {
            // Take the delivery off the queue first: if another worker already applied and removed it,
            // there is nothing to dead-letter.
            var removed = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM platform_queue WHERE consumer = @Consumer AND event_id = @EventId",
                row, transaction, cancellationToken: cancellationToken));
            if (removed == 1)
            {
                // A redelivered event that fails again finds its letter already there: still one row.
                if (await DeadLetterTable.InsertOnceAsync(
                    connection,
                    new NewDeadLetter(row.Consumer, row.EventId, row.Type, row.Payload, row.OccurredAt, attempts, error, now.ToUnixTimeMilliseconds()),
                    cancellationToken,
                    transaction))
                {
                    metrics.EventsDeadLettered.Add(1, new KeyValuePair<string, object?>("consumer", row.Consumer));
                    LogDeadLettered(row.Consumer, row.EventId, attempts);
                }
            }
        }
        else
        {
            var delay = RetryBackoff.Delay((int)attempts, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE platform_queue SET attempts = @attempts, last_error = @error, next_attempt_at = @next
                WHERE consumer = @Consumer AND event_id = @EventId
                """,
                new { row.Consumer, row.EventId, attempts, error, next = now.Add(delay).ToUnixTimeMilliseconds() },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record QueueRow(string Consumer, long EventId, string Type, string Payload, long OccurredAt, long Attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} failed on event {EventId} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception exception, string consumer, long eventId, long attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} dead-lettered for consumer {Consumer} after {Attempts} attempts")]
    private partial void LogDeadLettered(string consumer, long eventId, long attempts);
}
