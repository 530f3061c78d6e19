namespace Atrium.Chat.Delivery;

/// <summary>
/// Which nodes hold sockets of which users. In-process in the embedded shape (one node: this one); a Redis sorted set
/// per user (<c>atrium:chat:presence:{user}</c>: node id → expiry, refreshed by heartbeats) in the distributed shape,
/// so a node that dies without cleaning up drops out after the TTL.
/// </summary>
internal interface IPresenceRegistry
{
    /// <summary>This node now holds a socket of the user (its first).</summary>
    Task AddAsync(long userId, CancellationToken ct);

    /// <summary>This node no longer holds any socket of the user.</summary>
    Task RemoveAsync(long userId, CancellationToken ct);

    /// <summary>The other nodes holding sockets of each of the users (users on no other node are absent).</summary>
    Task<IReadOnlyDictionary<long, string[]>> OtherNodesAsync(IReadOnlyCollection<long> userIds, CancellationToken ct);

    /// <summary>Which of the users have a socket on any node.</summary>
    Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> userIds, CancellationToken ct);
}
