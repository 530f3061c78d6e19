namespace Atrium.ChatBench;

/// <summary>
/// How clients of one server connect and what they send: Atrium (hello with a token, a send frame to a conversation,
/// cumulative acks) or the baseline (a room in the query string, the same send frame forwarded as-is).
/// </summary>
internal interface ITarget
{
    string Name { get; }

    /// <summary>The socket URL of client <paramref name="client"/>, in <paramref name="scenario"/>.</summary>
    Uri SocketUri(Scenario scenario, int client);

    /// <summary>The first frame to send after connecting (null: none), and whether to wait for a welcome.</summary>
    string? Hello(int client);

    /// <summary>The frame that sends <paramref name="text"/> from <paramref name="client"/> to its room.</summary>
    string Send(Scenario scenario, int client, long sequence, string text);

    /// <summary>True when clients acknowledge stream positions (Atrium).</summary>
    bool Acks { get; }
}
