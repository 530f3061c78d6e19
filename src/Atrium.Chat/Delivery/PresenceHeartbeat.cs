using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Delivery;

/// <summary>Refreshes this node's presence entries for every user it holds a socket of, every heartbeat.</summary>
internal sealed class PresenceHeartbeat(
    RedisPresenceRegistry registry, ConnectionHub hub, IOptions<ChatOptions> options, TimeProvider time, ServiceSupervisor supervisor)
    : BackgroundService
{
    public const string ServiceName = "chat.presence-heartbeat";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            using var timer = new PeriodicTimer(options.Value.PresenceHeartbeat, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                await registry.RefreshAsync(hub.Users(), ct);
                run.Healthy();
            }
        }, stoppingToken);
}
