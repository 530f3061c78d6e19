using System.Data.Common;
using System.Globalization;
using Atrium.Platform.Resilience;
using Dapper;
using Microsoft.Extensions.Options;
using Polly;
using StackExchange.Redis;

namespace Atrium.Feed.Data;

/// <summary>
/// Home timelines in Redis (the distributed shape): one sorted set per user, <c>atrium:feed:tl:{userId}</c>.
/// Members are post ids as 19-digit zero-padded decimals, all with score 0, so the set is ordered by id exactly
/// (ZRANGEBYLEX): a score is a double, which holds 53 bits, and Snowflake ids have 63. A sentinel member
/// (<see cref="Sentinel"/>, all zeros: always rank 0) marks a built timeline, so an empty one (a user who
/// follows only celebrities) is told apart from a lost one (Redis restarted empty), which is rebuilt.
/// A push is one script per batch (for each follower's timeline: exists? ZADD + ZREMRANGEBYRANK), so a batch of
/// 1,000 followers costs one round trip and runs atomically (a few milliseconds of Redis time); a missing timeline
/// is not created by a push (its rebuild will include the post). The keys of one script must live on one server:
/// plain Redis or a primary with replicas, not Redis Cluster (there, the batch would be split by hash slot).
/// Every call goes through the shared Redis pipeline (module <c>feed</c>: the feed's own bulkhead, then retry, the
/// breaker every Redis caller shares, and the timeout). All of them are idempotent — ZADD of the same member, trims to
/// the cap, ZREM, reads — so all are retried. A failed read answers <see cref="TimelineSlice.Unavailable"/> (the read
/// goes to the database); a failed write throws, and the consumer that made it retries with backoff.
/// </summary>
internal sealed class RedisTimelineStore(IConnectionMultiplexer redis, IOptions<FeedOptions> options, DependencyPipelines pipelines) : ITimelineStore
{
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("feed", CallKind.Retryable);

    public const string KeyPrefix = "atrium:feed:tl:";
    public static readonly RedisValue Sentinel = Member(0);

    // ARGV[1] = cap, ARGV[2..] = members. Keeps the sentinel (rank 0) and the newest `cap` posts.
    private const string AddIfExistsScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
        redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[1]) + 1))
        return #ARGV - 1
        """;

    // KEYS = the batch's timelines, ARGV[1] = cap, ARGV[2] = the post: the whole batch in one round trip.
    private const string PushScript = """
        local cap = -(tonumber(ARGV[1]) + 1)
        local written = 0
        for i = 1, #KEYS do
            if redis.call('EXISTS', KEYS[i]) == 1 then
                redis.call('ZADD', KEYS[i], 0, ARGV[2])
                redis.call('ZREMRANGEBYRANK', KEYS[i], 1, cap)
                written = written + 1
            end
        end
        return written
        """;

    private const string RebuildScript = """
        redis.call('ZADD', KEYS[1], 0, '0000000000000000000')
        for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
        redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[1]) + 1))
        return #ARGV - 1
        """;

    private readonly int _cap = options.Value.TimelineCap;
    private long _writes;

    public long Writes => Interlocked.Read(ref _writes);

    public static RedisKey Key(long userId) => KeyPrefix + userId.ToString(CultureInfo.InvariantCulture);

    public static RedisValue Member(long postId) => postId.ToString("D19", CultureInfo.InvariantCulture);

    public async Task<int> PushAsync(DbTransaction transaction, long postId, long authorId, IReadOnlyList<long> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return 0;
        }

        var keys = new RedisKey[userIds.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Key(userIds[i]);
        }

        RedisValue[] args = [_cap, Member(postId)];
        var written = await _pipeline.ExecuteAsync(
            async (state, ct) => (int)await state.redis.GetDatabase().ScriptEvaluateAsync(PushScript, state.keys, state.args).WaitAsync(ct),
            (redis, keys, args),
            cancellationToken);
        Interlocked.Add(ref _writes, written);
        return written;
    }

    public Task AddAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken) =>
        posts.Count == 0 ? Task.CompletedTask : RunAsync(AddIfExistsScript, userId, posts, cancellationToken);

    public Task RebuildAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken) =>
        RunAsync(RebuildScript, userId, posts, cancellationToken);

    public async Task RemoveAuthorAsync(DbTransaction transaction, long userId, long authorId, CancellationToken cancellationToken)
    {
        var key = Key(userId);
        var oldest = await _pipeline.ExecuteAsync(
            async (state, ct) => await state.redis.GetDatabase().SortedSetRangeByRankAsync(state.key, 1, 1).WaitAsync(ct), (redis, key), cancellationToken);
        if (oldest.Length == 0)
        {
            return;
        }

        // The author's posts that can be in the timeline: those not older than its oldest entry.
        var ids = await transaction.Connection!.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM feed_posts WHERE author_id = @authorId AND id >= @oldest",
            new { authorId, oldest = long.Parse((string)oldest[0]!, CultureInfo.InvariantCulture) }, transaction, cancellationToken: cancellationToken));
        foreach (var chunk in ids.Chunk(1000))
        {
            RedisValue[] members = [.. chunk.Select(Member)];
            await _pipeline.ExecuteAsync(
                async (state, ct) => await state.redis.GetDatabase().SortedSetRemoveAsync(state.key, state.members).WaitAsync(ct),
                (redis, key, members),
                cancellationToken);
        }
    }

    public async Task<TimelineSlice> ReadAsync(long userId, long before, long since, int take, CancellationToken cancellationToken)
    {
        try
        {
            var (count, members) = await _pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    var batch = state.redis.GetDatabase().CreateBatch();
                    var key = Key(state.userId);
                    var size = batch.SortedSetLengthAsync(key);
                    var range = batch.SortedSetRangeByValueAsync(key, Member(state.since), Member(state.before), Exclude.Both, Order.Descending, 0, state.take);
                    batch.Execute();
                    return (await size.WaitAsync(ct), await range.WaitAsync(ct));
                },
                (redis, userId, since, before, take),
                cancellationToken);
            if (count == 0)
            {
                return TimelineSlice.Missing;
            }

            var ids = members.Select(m => long.Parse((string)m!, CultureInfo.InvariantCulture)).ToList();
            return new TimelineSlice(TimelineState.Ready, ids, ids.Count < take && count - 1 >= _cap);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return TimelineSlice.Unavailable;
        }
    }

    private async Task RunAsync(string script, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken)
    {
        var args = new RedisValue[posts.Count + 1];
        args[0] = _cap;
        for (var i = 0; i < posts.Count; i++)
        {
            args[i + 1] = Member(posts[i].PostId);
        }

        RedisKey[] keys = [Key(userId)];
        var written = await _pipeline.ExecuteAsync(
            async (state, ct) => (int)await state.redis.GetDatabase().ScriptEvaluateAsync(state.script, state.keys, state.args).WaitAsync(ct),
            (redis, script, keys, args),
            cancellationToken);
        Interlocked.Add(ref _writes, written);
    }
}
