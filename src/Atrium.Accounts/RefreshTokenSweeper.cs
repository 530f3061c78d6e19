using Atrium.Accounts.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Accounts;

/// <summary>
/// Deletes refresh tokens a day after they expired (until then a client still hears "expired" rather
/// than "unknown"), hourly and in batches, so the table holds live sessions, not history.
/// </summary>
internal sealed partial class RefreshTokenSweeper(RefreshTokenStore store, TimeProvider time, ILogger<RefreshTokenSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);
    private const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var cutoff = (time.GetUtcNow() - Grace).ToUnixTimeMilliseconds();
                int deleted;
                do
                {
                    deleted = await store.DeleteExpiredAsync(cutoff, Batch, stoppingToken);
                }
                while (deleted == Batch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired refresh tokens failed; retrying at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
