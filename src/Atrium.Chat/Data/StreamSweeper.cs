using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Data;

/// <summary>
/// Runs <see cref="StreamRetention"/> every <see cref="ChatOptions.EventSweepInterval"/>: the users' event streams hold
/// what some device may still need (at most <see cref="ChatOptions.EventRetention"/> of history), not all of it. A
/// failed sweep (database down) is retried by the service supervisor after its backoff; it never ends the host.
/// </summary>
internal sealed class StreamSweeper(
    StreamRetention retention, IOptions<ChatOptions> options, TimeProvider time, ServiceSupervisor supervisor) : BackgroundService
{
    private const int UsersPerPage = 500;

    public const string ServiceName = "chat.stream-sweeper";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(options.Value.EventSweepInterval, time);
            do
            {
                var cutoff = (time.GetUtcNow() - options.Value.EventRetention).ToUnixTimeMilliseconds();
                long after = 0;
                do
                {
                    (after, _) = await retention.PruneAsync(after, UsersPerPage, cutoff, ct);
                }
                while (after != 0);
                run.Healthy();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }, stoppingToken);
}
