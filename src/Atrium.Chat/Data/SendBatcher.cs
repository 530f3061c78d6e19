using System.Threading.Channels;
using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Chat.Data;

/// <summary>
/// Group commit for the embedded shape: SQLite has one writer and every commit is an fsync, so sends that arrive while
/// a commit is under way wait and then share the next transaction (up to <see cref="MaxBatch"/>): each keeps its own
/// seq, rows and stream events, and is answered only after the commit that made it durable. A batch that fails fails
/// every send in it; clients retry with the same client message id, which is idempotent. Not used on PostgreSQL,
/// whose sends run in parallel with their own transactions.
/// </summary>
internal sealed partial class SendBatcher(
    IDatabase database, ChatWriteGate gate, IServiceProvider services, ServiceSupervisor supervisor, ILogger<SendBatcher> logger)
    : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<PendingSend> _queue = Channel.CreateUnbounded<PendingSend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(PendingSend Send, StoredMessage? Stored)> _committed =
        Channel.CreateUnbounded<(PendingSend, StoredMessage?)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public async Task<StoredMessage?> SendAsync(PendingSend send, CancellationToken ct)
    {
        await _queue.Writer.WriteAsync(send, ct);
        return await send.Result.Task.WaitAsync(ct);
    }

    public const string ServiceName = "chat.send-batcher";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var messages = services.GetRequiredService<MessageStore>();
        var pushing = PushLoopAsync();
        await supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            var batch = new List<PendingSend>(MaxBatch);
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var send))
                {
                    batch.Add(send);
                }

                await CommitAsync(messages, batch, ct);
                run.Healthy();
            }
        }, stoppingToken);

        _queue.Writer.TryComplete();
        _committed.Writer.TryComplete();
        await pushing;
        while (_queue.Reader.TryRead(out var left))
        {
            left.Result.TrySetCanceled(stoppingToken);
        }
    }

    /// <summary>
    /// Runs the after-commit pushes one after the other in commit order, so each recipient's socket gets its events
    /// in position order (pushes racing each other would make sockets read the gaps from the database), without
    /// holding up the next commit; then answers the sender.
    /// </summary>
    private async Task PushLoopAsync()
    {
        await foreach (var (send, stored) in _committed.Reader.ReadAllAsync())
        {
            if (stored is { Duplicate: false })
            {
                try
                {
                    await send.AfterCommit(stored, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    LogPushFailed(logger, ex); // committed: the sockets catch up from the database
                }
            }

            send.Result.TrySetResult(stored);
        }
    }

    private async Task CommitAsync(MessageStore messages, List<PendingSend> batch, CancellationToken ct)
    {
        var results = new StoredMessage?[batch.Count];
        try
        {
            using var turn = await gate.EnterAsync(ct);
            await using var connection = await database.OpenPrimaryAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            for (var i = 0; i < batch.Count; i++)
            {
                var send = batch[i];
                results[i] = await messages.SendAsync(transaction, send.ConversationId, send.Sender, send.ClientMessageId, send.Text, ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, batch.Count, ex);
            foreach (var send in batch)
            {
                send.Result.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            _committed.Writer.TryWrite((batch[i], results[i]));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: a push after commit failed; sockets will catch up from the database")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat: a batch of {Count} sends failed; each sender gets the error and may retry")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
