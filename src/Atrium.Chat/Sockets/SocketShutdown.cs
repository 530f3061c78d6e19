using Atrium.Chat.Delivery;
using Microsoft.Extensions.Hosting;

namespace Atrium.Chat.Sockets;

/// <summary>
/// Graceful shutdown: as soon as the host starts stopping (before the server waits for open requests, which a socket
/// would hold until its timeout) every socket is closed with 1012, so clients reconnect through the gateway to another
/// node and resume from their cursor.
/// </summary>
internal sealed class SocketShutdown(ConnectionHub hub, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(hub.CloseAll);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _registration.DisposeAsync();
}
