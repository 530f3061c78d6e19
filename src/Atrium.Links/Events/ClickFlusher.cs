using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Events;

/// <summary>
/// Drains the click buffer in batches (up to <see cref="LinksOptions.ClickBatchSize"/> clicks, at least
/// every <see cref="LinksOptions.ClickFlushInterval"/>), classifies and pre-aggregates them, and
/// publishes each batch as one <see cref="ClicksRecorded"/> event through the outbox.
/// While the database is down the batch in hand is kept and retried, under <see cref="ServiceSupervisor"/>, for as long
/// as the node runs; clicks arriving meanwhile wait in the bounded <see cref="ClickBuffer"/> (full: dropped and
/// counted). A batch keeps its event id across retries, so a commit whose answer was lost counts once. On shutdown
/// the batch in hand and the rest of the buffer are flushed within the host's shutdown timeout; what is still
/// unwritten when it runs out (the database still down) is logged and counted as dropped. A crash loses at most
/// what the buffer held.
/// </summary>
internal sealed partial class ClickFlusher(
    ClickBuffer buffer,
    IDatabase database,
    IEventPublisher publisher,
    SnowflakeIds ids,
    FailPoints failPoints,
    ServiceSupervisor supervisor,
    LinksMetrics metrics,
    IOptions<LinksOptions> options,
    TimeProvider time,
    ILogger<ClickFlusher> logger) : BackgroundService
{
    public const string ServiceName = "links.click-flusher";

    /// <summary>Quick first retries (a broken connection), then every ≤ 5 s while the database stays down.</summary>
    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    private readonly ClickAggregation _aggregation = new();
    private PendingBatch? _pending;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, FlushAsync, stoppingToken, Retry);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken); // ends the loop (a batch in flight stays pending, with its id)
        buffer.Complete();
        await supervisor.RunAsync(ServiceName, DrainAsync, cancellationToken, Retry);
        var unwritten = (_pending?.Clicks ?? 0) + buffer.Reader.Count;
        if (unwritten > 0)
        {
            metrics.ClicksDropped.Add(unwritten, new KeyValuePair<string, object?>("reason", "shutdown"));
            LogUnwrittenAtShutdown(unwritten);
        }
    }

    private async Task FlushAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        await DrainAsync(run, stoppingToken); // the batch a failed run kept, first
        while (await buffer.Reader.WaitToReadAsync(stoppingToken))
        {
            await Task.Delay(options.Value.ClickFlushInterval, time, stoppingToken);
            await DrainAsync(run, stoppingToken);
        }
    }

    /// <summary>Publishes the pending batch, then batches from the buffer until it is empty; a failure escapes with the batch kept.</summary>
    private async Task DrainAsync(SupervisedRun run, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pending is null)
            {
                var id = ids.Next(); // first: if no id can be had, no click has left the buffer
                var clicks = 0;
                while (clicks < options.Value.ClickBatchSize && buffer.Reader.TryRead(out var click))
                {
                    _aggregation.Add(click);
                    clicks++;
                }

                if (clicks == 0)
                {
                    return;
                }

                _pending = new PendingBatch(id, _aggregation.Drain(), clicks);
            }

            await PublishAsync(_pending, cancellationToken);
            _pending = null;
            run.Healthy();
        }
    }

    private async Task PublishAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await publisher.PublishAsync(batch.Recorded, batch.EventId, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        failPoints.Hit(FailPoints.ClicksAfterCommit); // testing aid: the commit landed, its answer "did not"
    }

    /// <summary>A batch taken from the buffer and not yet known to be committed.</summary>
    private sealed record PendingBatch(long EventId, ClicksRecorded Recorded, int Clicks);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutting down with {Clicks} clicks not written (the database did not answer within the shutdown timeout); they are lost")]
    private partial void LogUnwrittenAtShutdown(int clicks);
}
