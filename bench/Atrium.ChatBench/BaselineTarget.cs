using System.Globalization;
using System.Text.Json;

namespace Atrium.ChatBench;

/// <summary>The bare broadcast server of bench/Atrium.Baseline (ChatBroadcast.cs).</summary>
internal sealed class BaselineTarget(Uri server) : ITarget
{
    public string Name => "Baseline (bare Kestrel broadcast)";

    public bool Acks => false;

    public Uri SocketUri(Scenario scenario, int client) =>
        new UriBuilder(server) { Scheme = "ws", Path = "/ws", Query = $"room={scenario.Name}-{scenario.RoomOf(client).ToString(CultureInfo.InvariantCulture)}" }.Uri;

    public string? Hello(int client) => null;

    public string Send(Scenario scenario, int client, long sequence, string text) => JsonSerializer.Serialize(new
    {
        type = "send",
        conversationId = scenario.RoomOf(client).ToString(CultureInfo.InvariantCulture),
        clientMessageId = $"b{client}-{sequence}",
        text,
    });
}
