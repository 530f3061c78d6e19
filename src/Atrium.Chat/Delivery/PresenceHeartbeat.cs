using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Delivery;

/// <summary>Refreshes this node's presence entries for every user it holds a socket of, every heartbeat.</summary>
internal sealed class PresenceHeartbeat(RedisPresenceRegistry registry, ConnectionHub hub, IOptions<ChatOptions> options, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PresenceHeartbeat, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await registry.RefreshAsync(hub.Users(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
