namespace Atrium.Chat.Delivery;

/// <summary>
/// What one node hands to the sockets of some users (locally, or through another node's channel as JSON).
/// A stream push (<see cref="Positions"/> set) says "user Users[i] has the event at Positions[i]", with the event's
/// rendered tail when it is the same for every recipient (null: each socket reads it from the database). A frame push
/// carries an ephemeral frame (presence, typing) for every listed user.
/// </summary>
internal sealed record ChatPush(long[] Users, long[]? Positions, string? Body)
{
    public bool IsStream => Positions is not null;
}
