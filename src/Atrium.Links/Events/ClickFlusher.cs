using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Events;

/// <summary>
/// Drains the click buffer in batches (up to <see cref="LinksOptions.ClickBatchSize"/> clicks, at least
/// every <see cref="LinksOptions.ClickFlushInterval"/>), classifies and pre-aggregates them, and
/// publishes each batch as one <see cref="ClicksRecorded"/> event through the outbox. On shutdown the
/// rest of the buffer is flushed; a crash loses at most the clicks of the last interval.
/// </summary>
internal sealed partial class ClickFlusher(
    ClickBuffer buffer,
    IDatabase database,
    IEventPublisher publisher,
    FailPoints failPoints,
    IOptions<LinksOptions> options,
    TimeProvider time,
    ILogger<ClickFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var aggregation = new ClickAggregation();
        try
        {
            while (await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.Value.ClickFlushInterval, time, stoppingToken);
                await DrainAsync(aggregation, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: flush what is left below.
        }

        buffer.Complete();
        await DrainAsync(aggregation, CancellationToken.None);
    }

    private async Task DrainAsync(ClickAggregation aggregation, CancellationToken cancellationToken)
    {
        while (true)
        {
            var clicks = 0;
            while (clicks < options.Value.ClickBatchSize && buffer.Reader.TryRead(out var click))
            {
                aggregation.Add(click);
                clicks++;
            }

            if (clicks == 0)
            {
                return;
            }

            await PublishWithRetryAsync(aggregation.Drain(), clicks, cancellationToken);
        }
    }

    private async Task PublishWithRetryAsync(ClicksRecorded recorded, int clicks, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenPrimaryAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await publisher.PublishAsync(recorded, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                failPoints.Hit(FailPoints.ClicksAfterCommit);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 5)
            {
                LogFlushFailed(ex, clicks, attempt);
                await Task.Delay(RetryBackoff.Delay(attempt, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), Random.Shared), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing {Clicks} clicks failed (attempt {Attempt}); retrying")]
    private partial void LogFlushFailed(Exception exception, int clicks, int attempt);
}
