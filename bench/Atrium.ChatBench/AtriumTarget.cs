using System.Text.Json;

namespace Atrium.ChatBench;

/// <summary>Atrium's /ws with the users and conversations <see cref="AtriumSetup"/> made.</summary>
internal sealed class AtriumTarget(Uri server, AtriumSetup setup) : ITarget
{
    public string Name => "Atrium";

    public bool Acks => true;

    public Uri SocketUri(Scenario scenario, int client) => new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri;

    public string? Hello(int client) => JsonSerializer.Serialize(new { type = "hello", token = setup.Tokens[client] });

    public string Send(Scenario scenario, int client, long sequence, string text) => JsonSerializer.Serialize(new
    {
        type = "send",
        conversationId = setup.Conversation(scenario, client),
        clientMessageId = $"b{client}-{sequence}",
        text,
    });
}
