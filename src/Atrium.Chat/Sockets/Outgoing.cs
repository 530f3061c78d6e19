namespace Atrium.Chat.Sockets;

/// <summary>
/// An item of a socket's outbox: a ready frame (<see cref="Pos"/> 0), a stream event at <see cref="Pos"/> with its
/// tail (or null: read it from the database), or a catch-up request (<see cref="Pos"/> −1).
/// </summary>
internal readonly record struct Outgoing(long Pos, string? Body)
{
    public static readonly Outgoing CatchUp = new(-1, null);

    public static Outgoing Frame(string frame) => new(0, frame);
}
