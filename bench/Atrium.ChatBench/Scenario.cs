namespace Atrium.ChatBench;

/// <summary>
/// A load shape: the clients split into rooms (Atrium conversations / baseline rooms) and the offered rate of sends
/// (messages per second, spread round-robin over every client). Each send is delivered to the room's other members.
/// </summary>
internal sealed record Scenario(string Name, int RoomSize, int Rate)
{
    /// <summary>The room of client <paramref name="client"/>.</summary>
    public int RoomOf(int client) => client / RoomSize;
}
