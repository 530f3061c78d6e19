using System.Collections.Concurrent;
using Atrium.Chat.Data;
using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Coalesces acks: sockets record the highest position each device acknowledged; every
/// <see cref="ChatOptions.AckFlushInterval"/> the latest one per device is applied, all of them in one batch (one
/// transaction on SQLite), which moves the delivered watermarks and sends the receipts. Pending acks are applied at
/// shutdown.
/// </summary>
internal sealed partial class AckCoalescer(
    ChatService chat, IOptions<ChatOptions> options, TimeProvider time, ServiceSupervisor supervisor, ILogger<AckCoalescer> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<(long UserId, string Device), long> _pending = new();

    /// <summary>Records that <paramref name="device"/> (or an unnamed one, "") of the user processed everything up to <paramref name="pos"/>.</summary>
    public void Record(long userId, string? device, long pos) =>
        _pending.AddOrUpdate((userId, device ?? ""), pos, (_, existing) => Math.Max(existing, pos));

    public const string ServiceName = "chat.ack-coalescer";

    // Stopping ends the loop; the last flush runs in StopAsync.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(options.Value.AckFlushInterval, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                await FlushAsync(ct);
                run.Healthy();
            }
        }, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<AckRecord>();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var pos))
            {
                batch.Add(new AckRecord(key.UserId, key.Device.Length == 0 ? null : key.Device, pos));
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await chat.AcknowledgeAsync(batch, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, batch.Count, ex); // put back: a later flush applies them (acks are cumulative)
            foreach (var ack in batch)
            {
                Record(ack.UserId, ack.Device, ack.Pos);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: applying {Count} acks failed; retrying on the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int count, Exception exception);
}
