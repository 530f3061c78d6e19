using Atrium.Accounts.Data;
using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;

namespace Atrium.Accounts;

/// <summary>
/// Deletes refresh tokens a day after they expired (until then a client still hears "expired" rather
/// than "unknown"), hourly and in batches, so the table holds live sessions, not history.
/// </summary>
internal sealed class RefreshTokenSweeper(RefreshTokenStore store, TimeProvider time, ServiceSupervisor supervisor) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);
    private const int Batch = 1000;

    public const string ServiceName = "accounts.refresh-token-sweeper";

    // A failed sweep is retried by the supervisor after its backoff (not an hour later), then hourly again.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                var cutoff = (time.GetUtcNow() - Grace).ToUnixTimeMilliseconds();
                int deleted;
                do
                {
                    deleted = await store.DeleteExpiredAsync(cutoff, Batch, ct);
                }
                while (deleted == Batch);
                run.Healthy();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }, stoppingToken);
}
