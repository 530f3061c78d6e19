namespace Atrium.Testing.Servers;

/// <summary>A quorum queue's replicas as <c>rabbitmqctl list_queues name leader members online</c> reports them (node names).</summary>
/// <param name="Name">The queue.</param>
/// <param name="Leader">The node of its Raft leader ("" while it elects one).</param>
/// <param name="Members">Every node holding a replica.</param>
/// <param name="Online">The members running now.</param>
public sealed record QuorumQueueMembers(string Name, string Leader, IReadOnlyList<string> Members, IReadOnlyList<string> Online);
