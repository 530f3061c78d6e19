using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// The distributed shape's registry: <c>atrium:chat:presence:{user}</c> is a sorted set of node ids scored by the
/// unix ms at which the entry expires; a node re-adds its users every heartbeat (<see cref="RefreshAsync"/>), and
/// entries whose score has passed are ignored (a dead node's entries lapse by themselves). The key itself expires when
/// no node refreshes it. When Redis is unreachable, lookups answer "on no other node" and "offline": live delivery to
/// other nodes pauses and sockets catch up from the database on their own.
/// </summary>
internal sealed partial class RedisPresenceRegistry(
    IConnectionMultiplexer redis, ChatNode node, ConnectionHub hub, IOptions<ChatOptions> options, TimeProvider time,
    ILogger<RedisPresenceRegistry> logger) : IPresenceRegistry
{
    public static RedisKey KeyOf(long userId) => $"atrium:chat:presence:{userId}";

    public async Task AddAsync(long userId, CancellationToken ct) => await RefreshAsync([userId], ct);

    public async Task RemoveAsync(long userId, CancellationToken ct)
    {
        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(KeyOf(userId), node.Id);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, ex); // the entry lapses after its TTL
        }
    }

    /// <summary>Re-adds this node for each of the users with a fresh expiry (one pipelined batch).</summary>
    public async Task RefreshAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return;
        }

        var ttl = options.Value.PresenceTtl;
        var expiry = time.GetUtcNow().Add(ttl).ToUnixTimeMilliseconds();
        try
        {
            var batch = redis.GetDatabase().CreateBatch();
            var tasks = new List<Task>(userIds.Count * 2);
            foreach (var userId in userIds)
            {
                tasks.Add(batch.SortedSetAddAsync(KeyOf(userId), node.Id, expiry));
                tasks.Add(batch.KeyExpireAsync(KeyOf(userId), ttl * 2));
            }

            batch.Execute();
            await Task.WhenAll(tasks).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, ex);
        }
    }

    public async Task<IReadOnlyDictionary<long, string[]>> OtherNodesAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var live = await LiveNodesAsync(userIds, ct);
        var others = new Dictionary<long, string[]>();
        foreach (var (userId, nodes) in live)
        {
            var remote = nodes.Where(n => n != node.Id).ToArray();
            if (remote.Length > 0)
            {
                others[userId] = remote;
            }
        }

        return others;
    }

    public async Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var online = userIds.Where(hub.IsConnected).ToHashSet();
        var rest = userIds.Where(id => !online.Contains(id)).ToArray();
        foreach (var (userId, nodes) in await LiveNodesAsync(rest, ct))
        {
            if (nodes.Length > 0)
            {
                online.Add(userId);
            }
        }

        return online;
    }

    private async Task<Dictionary<long, string[]>> LiveNodesAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var result = new Dictionary<long, string[]>();
        if (userIds.Count == 0)
        {
            return result;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            var batch = redis.GetDatabase().CreateBatch();
            var lookups = userIds.Distinct().Select(userId => (userId, nodes: batch.SortedSetRangeByScoreAsync(KeyOf(userId), now, double.PositiveInfinity))).ToArray();
            batch.Execute();
            await Task.WhenAll(lookups.Select(l => l.nodes)).WaitAsync(ct);
            foreach (var (userId, nodes) in lookups)
            {
                var values = nodes.Result;
                if (values.Length > 0)
                {
                    result[userId] = [.. values.Select(v => v.ToString())];
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(logger, ex);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat presence registry: Redis call failed; degrading to local delivery and database catch-up")]
    private static partial void LogRedisFailed(ILogger logger, Exception exception);
}
