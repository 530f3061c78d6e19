namespace Atrium.Chat.Delivery;

/// <summary>The embedded shape's registry: there is one node, and its hub knows who is connected.</summary>
internal sealed class LocalPresenceRegistry(ConnectionHub hub) : IPresenceRegistry
{
    private static readonly IReadOnlyDictionary<long, string[]> NoOtherNodes = new Dictionary<long, string[]>();

    public Task AddAsync(long userId, CancellationToken ct) => Task.CompletedTask;

    public Task RemoveAsync(long userId, CancellationToken ct) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<long, string[]>> OtherNodesAsync(IReadOnlyCollection<long> userIds, CancellationToken ct) =>
        Task.FromResult(NoOtherNodes);

    public Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> userIds, CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<long>>(userIds.Where(hub.IsConnected).ToHashSet());
}
