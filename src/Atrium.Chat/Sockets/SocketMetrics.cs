using System.Diagnostics.Metrics;

namespace Atrium.Chat.Sockets;

/// <summary>The chat gateway's metrics (meter <c>Atrium.Chat</c>).</summary>
internal sealed class SocketMetrics
{
    public const string MeterName = "Atrium.Chat";
    public const string SlowClosedName = "atrium.chat.sockets.slow_closed";

    private readonly Counter<long> _slowClosed;

    public SocketMetrics(IMeterFactory meters) =>
        _slowClosed = meters.Create(MeterName).CreateCounter<long>(
            SlowClosedName, "{socket}", "Sockets closed with 1013 because the client stopped reading (a write stalled or the outgoing queue overflowed).");

    public void SlowClosed() => _slowClosed.Add(1);
}
