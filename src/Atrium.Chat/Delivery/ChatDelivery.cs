using Atrium.Chat.Data;

namespace Atrium.Chat.Delivery;

/// <summary>
/// Live delivery after commit: the local sockets of the recipients get the push at once; the other nodes holding
/// sockets of recipients (the presence registry says which) get it through their channel, one publish per node.
/// Everything here is best effort — the database stream is the truth, and a socket that misses a push reads it on its
/// next push (a gap) or its periodic catch-up.
/// </summary>
internal sealed class ChatDelivery(ConnectionHub hub, IPresenceRegistry registry, IChatBus bus)
{
    /// <summary>Delivers stream events; <paramref name="tail"/> is the event rendered once for all, or null to read it per socket.</summary>
    public async Task PushStreamAsync(IReadOnlyList<StreamTarget> targets, string? tail, CancellationToken ct)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var users = targets.Select(t => t.UserId).ToArray();
        var positions = targets.Select(t => t.Pos).ToArray();
        hub.Deliver(new ChatPush(users, positions, tail));
        var remote = await registry.OtherNodesAsync(users, ct);
        if (remote.Count == 0)
        {
            return;
        }

        var byNode = new Dictionary<string, List<StreamTarget>>();
        foreach (var target in targets)
        {
            foreach (var nodeId in remote.GetValueOrDefault(target.UserId, []))
            {
                (byNode.TryGetValue(nodeId, out var list) ? list : byNode[nodeId] = []).Add(target);
            }
        }

        await Task.WhenAll(byNode.Select(pair => bus.PublishAsync(
            pair.Key, new ChatPush([.. pair.Value.Select(t => t.UserId)], [.. pair.Value.Select(t => t.Pos)], tail), ct)));
    }

    /// <summary>Delivers an ephemeral frame to every socket of the users, on any node (not persisted: offline users miss it).</summary>
    public async Task PushFrameAsync(IReadOnlyCollection<long> userIds, string frame, CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return;
        }

        var users = userIds.ToArray();
        hub.Deliver(new ChatPush(users, null, frame));
        var remote = await registry.OtherNodesAsync(users, ct);
        var byNode = remote.SelectMany(pair => pair.Value.Select(nodeId => (nodeId, user: pair.Key)))
            .GroupBy(x => x.nodeId, x => x.user);
        await Task.WhenAll(byNode.Select(group => bus.PublishAsync(group.Key, new ChatPush([.. group], null, frame), ct)));
    }
}
