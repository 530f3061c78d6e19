using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Data;

/// <summary>
/// Runs <see cref="StreamRetention"/> every <see cref="ChatOptions.EventSweepInterval"/>: the users' event streams hold
/// what some device may still need (at most <see cref="ChatOptions.EventRetention"/> of history), not all of it. A
/// failed sweep (database down) is logged and tried again at the next interval; it never ends the host.
/// </summary>
internal sealed partial class StreamSweeper(
    StreamRetention retention, IOptions<ChatOptions> options, TimeProvider time, ILogger<StreamSweeper> logger) : BackgroundService
{
    private const int UsersPerPage = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EventSweepInterval, time);
        try
        {
            do
            {
                try
                {
                    var cutoff = (time.GetUtcNow() - options.Value.EventRetention).ToUnixTimeMilliseconds();
                    long after = 0;
                    do
                    {
                        (after, _) = await retention.PruneAsync(after, UsersPerPage, cutoff, stoppingToken);
                    }
                    while (after != 0);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: pruning delivered stream events failed; retrying at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
