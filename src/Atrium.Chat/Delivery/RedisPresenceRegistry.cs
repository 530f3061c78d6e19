using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.Chat.Delivery;

/// <summary>
/// The distributed shape's registry: <c>atrium:chat:presence:{user}</c> is a sorted set of node ids scored by the
/// unix ms at which the entry expires; a node re-adds its users every heartbeat (<see cref="RefreshAsync"/>), and
/// entries whose score has passed are ignored (a dead node's entries lapse by themselves). The key itself expires when
/// no node refreshes it. When Redis is unreachable, lookups answer "on no other node" and "offline": live delivery to
/// other nodes pauses and sockets catch up from the database on their own. Every call goes through the shared Redis
/// pipeline (module <c>chat</c>: bulkhead, retry, breaker, timeout); all of them are idempotent (ZADD of the same
/// member with a fresh expiry, EXPIRE, ZREM, range reads), so they are retried.
/// </summary>
internal sealed partial class RedisPresenceRegistry(
    IConnectionMultiplexer redis, ChatNode node, ConnectionHub hub, IOptions<ChatOptions> options, TimeProvider time,
    DependencyPipelines pipelines, ILogger<RedisPresenceRegistry> logger) : IPresenceRegistry
{
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("chat", CallKind.Retryable);

    public static RedisKey KeyOf(long userId) => $"atrium:chat:presence:{userId}";

    public async Task AddAsync(long userId, CancellationToken ct) => await RefreshAsync([userId], ct);

    public async Task RemoveAsync(long userId, CancellationToken ct)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                async (state, token) => await state.redis.GetDatabase().SortedSetRemoveAsync(KeyOf(state.userId), state.Id).WaitAsync(token),
                (redis, userId, node.Id),
                ct);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
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
            await _pipeline.ExecuteAsync(
                async (state, token) =>
                {
                    var batch = state.redis.GetDatabase().CreateBatch();
                    var tasks = new List<Task>(state.userIds.Count * 2);
                    foreach (var userId in state.userIds)
                    {
                        tasks.Add(batch.SortedSetAddAsync(KeyOf(userId), state.Id, state.expiry));
                        tasks.Add(batch.KeyExpireAsync(KeyOf(userId), state.ttl * 2));
                    }

                    batch.Execute();
                    await Task.WhenAll(tasks).WaitAsync(token);
                },
                (redis, userIds, node.Id, expiry, ttl),
                ct);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
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
            var lookups = await _pipeline.ExecuteAsync(
                async (state, token) =>
                {
                    var batch = state.redis.GetDatabase().CreateBatch();
                    var pending = state.userIds.Distinct()
                        .Select(userId => (userId, nodes: batch.SortedSetRangeByScoreAsync(KeyOf(userId), state.now, double.PositiveInfinity))).ToArray();
                    batch.Execute();
                    await Task.WhenAll(pending.Select(l => l.nodes)).WaitAsync(token);
                    return pending;
                },
                (redis, userIds, now),
                ct);
            foreach (var (userId, nodes) in lookups)
            {
                var values = nodes.Result;
                if (values.Length > 0)
                {
                    result[userId] = [.. values.Select(v => v.ToString())];
                }
            }
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
        {
            LogRedisFailed(logger, ex);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat presence registry: Redis call failed; degrading to local delivery and database catch-up")]
    private static partial void LogRedisFailed(ILogger logger, Exception exception);
}
