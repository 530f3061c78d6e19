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
/// follows only celebrities) is told apart from a lost one (Redis restarted empty), which is rebuilt. A rebuild
/// first puts the <see cref="Building"/> marker (id 1, never a post) in a timeline that has no sentinel, so pushes and
/// backfills land in it while the rebuild reads the database; it is read as missing until the rebuild swaps the
/// marker for the sentinel.
/// A push is one script per batch (for each follower's timeline: exists? ZADD + ZREMRANGEBYRANK), so a batch of
/// 1,000 followers costs one round trip and runs atomically (a few milliseconds of Redis time); a missing timeline
/// is not created by a push (its rebuild will include the post). On Redis Cluster the keys of one script must share a
/// hash slot: the batch is split into one script per slot, pipelined together (each timeline still written atomically).
/// A timeline expires <see cref="FeedOptions.InactiveAfter"/> + <see cref="FeedOptions.ActivityResolution"/> after it
/// was built or its reader's activity was last written (<see cref="KeepAsync"/>): by then its reader is inactive, is
/// no longer pushed to, and has it rebuilt on their next read anyway. Pushes do not extend it.
/// Every call goes through the shared Redis pipeline (module <c>feed</c>: the feed's own bulkhead, then retry, the
/// breaker every Redis caller shares, and the timeout). All of them are idempotent — ZADD of the same member, trims to
/// the cap, ZREM, reads — so all are retried. A failed read answers <see cref="TimelineSlice.Unavailable"/> (the read
/// goes to the database); a failed write throws, and the consumer that made it marks the timeline stale.
/// </summary>
internal sealed class RedisTimelineStore(IConnectionMultiplexer redis, IOptions<FeedOptions> options, DependencyPipelines pipelines) : ITimelineStore
{
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("feed", CallKind.Retryable);

    public const string KeyPrefix = "atrium:feed:tl:";
    public static readonly RedisValue Sentinel = Member(0);

    /// <summary>The marker of a timeline being rebuilt (no sentinel yet). Id 1: no Snowflake post id is that small.</summary>
    public static readonly RedisValue Building = Member(1);

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

    // ARGV[1] = ttl (ms). A timeline without the sentinel gets the building marker, so what is pushed from now on lands.
    private const string StartRebuildScript = """
        if redis.call('ZSCORE', KEYS[1], '0000000000000000000') == false then
            redis.call('ZADD', KEYS[1], 0, '0000000000000000001')
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 0
        """;

    // ARGV[1] = cap, ARGV[2] = ttl (ms), ARGV[3..] = members: the sentinel replaces the building marker.
    private const string RebuildScript = """
        redis.call('ZADD', KEYS[1], 0, '0000000000000000000')
        redis.call('ZREM', KEYS[1], '0000000000000000001')
        for i = 3, #ARGV do redis.call('ZADD', KEYS[1], 0, ARGV[i]) end
        redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[1]) + 1))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return #ARGV - 2
        """;

    private readonly int _cap = options.Value.TimelineCap;
    private readonly long _ttlMs = (long)(options.Value.InactiveAfter + options.Value.ActivityResolution).TotalMilliseconds;
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

        // Redis Cluster: the keys of one script must share a hash slot, so the batch becomes one script per slot, all sent
        // in one pipelined batch (one round trip per node). Plain Redis has no slots (HashSlot answers -1): one script.
        var bySlot = new Dictionary<int, List<RedisKey>>();
        foreach (var userId in userIds)
        {
            var key = Key(userId);
            var slot = redis.HashSlot(key);
            if (!bySlot.TryGetValue(slot, out var keys))
            {
                bySlot[slot] = keys = [];
            }

            keys.Add(key);
        }

        RedisKey[][] groups = [.. bySlot.Values.Select(keys => keys.ToArray())];
        RedisValue[] args = [_cap, Member(postId)];
        var written = await _pipeline.ExecuteAsync(
            static async (state, ct) =>
            {
                var database = state.redis.GetDatabase();
                if (state.groups.Length == 1)
                {
                    return (int)await database.ScriptEvaluateAsync(PushScript, state.groups[0], state.args).WaitAsync(ct);
                }

                var batch = database.CreateBatch();
                var scripts = state.groups.Select(keys => batch.ScriptEvaluateAsync(PushScript, keys, state.args)).ToArray();
                batch.Execute();
                return (await Task.WhenAll(scripts).WaitAsync(ct)).Sum(result => (int)result);
            },
            (redis, groups, args),
            cancellationToken);
        Interlocked.Add(ref _writes, written);
        return written;
    }

    public Task AddAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken) =>
        posts.Count == 0 ? Task.CompletedTask : RunAsync(AddIfExistsScript, userId, [_cap], posts, cancellationToken);

    public Task StartRebuildAsync(DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        RunAsync(StartRebuildScript, userId, [_ttlMs], [], cancellationToken);

    public Task RebuildAsync(DbTransaction transaction, long userId, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken) =>
        RunAsync(RebuildScript, userId, [_cap, _ttlMs], posts, cancellationToken);

    public async Task KeepAsync(long userId, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                async (state, ct) => await state.redis.GetDatabase().KeyExpireAsync(Key(state.userId), TimeSpan.FromMilliseconds(state._ttlMs)).WaitAsync(ct),
                (redis, userId, _ttlMs),
                cancellationToken);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The timeline may then expire early: it is rebuilt on the next read, nothing is lost.
        }
    }

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
            var (built, members) = await _pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    var batch = state.redis.GetDatabase().CreateBatch();
                    var key = Key(state.userId);
                    var built = batch.SortedSetScoreAsync(key, Sentinel);
                    var range = batch.SortedSetRangeByValueAsync(
                        key, Member(Math.Max(state.since, 1)), Member(state.before), Exclude.Both, Order.Descending, 0, state.take);
                    batch.Execute();
                    return (await built.WaitAsync(ct), await range.WaitAsync(ct));
                },
                (redis, userId, since, before, take),
                cancellationToken);
            if (built is null)
            {
                return TimelineSlice.Missing; // never built, lost (Redis restarted empty), expired, or being rebuilt
            }

            var ids = members.Select(m => long.Parse((string)m!, CultureInfo.InvariantCulture)).ToList();
            return new TimelineSlice(TimelineState.Ready, ids, ids.Count < take);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return TimelineSlice.Unavailable;
        }
    }

    private async Task RunAsync(string script, long userId, RedisValue[] head, IReadOnlyList<(long PostId, long AuthorId)> posts, CancellationToken cancellationToken)
    {
        var args = new RedisValue[head.Length + posts.Count];
        head.CopyTo(args, 0);
        for (var i = 0; i < posts.Count; i++)
        {
            args[head.Length + i] = Member(posts[i].PostId);
        }

        RedisKey[] keys = [Key(userId)];
        var written = await _pipeline.ExecuteAsync(
            async (state, ct) => (int)await state.redis.GetDatabase().ScriptEvaluateAsync(state.script, state.keys, state.args).WaitAsync(ct),
            (redis, script, keys, args),
            cancellationToken);
        Interlocked.Add(ref _writes, written);
    }
}
