using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Platform.Data;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 9: the replica stops replaying (PauseReplayAsync) while an author posts. The author reads their own posts
/// list right after each write — through the other node — and always finds the post (the write pins their reads to
/// the primary, in Redis for every node). Another user reads the same list from the replica and sees it stale: how stale
/// is measured and reported, and the staleness heals once replay resumes. The pause ends while the replica is still
/// less than <see cref="DatabaseOptions.MaxReplicaLag"/> behind, so the replica stays in rotation throughout (no node
/// isolates it, and the other user's last read before the resume is still stale): the heal is the resumed replica's.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class ReplicaPauseTests(FaultCluster cluster)
{
    private const string Scenario = "09-replica-paused";

    [Fact]
    public async Task Authors_read_their_writes_while_others_read_a_stale_replica_that_heals()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        try
        {
            using var writes = cluster.Nodes[0].CreateClient();
            using var reads = cluster.Nodes[1].CreateClient();
            var author = await AtriumApi.SignUpAsync(writes, cancellationToken);
            var other = await AtriumApi.SignUpAsync(writes, cancellationToken);
            await cluster.Replica.WaitForReplayAsync(cancellationToken: cancellationToken);

            // Signing up is a write: it pins the new users' reads to the primary (DatabaseOptions.PinDuration), and
            // so does the node's first lookup of the author's name (a primary read). The other user must read from the
            // replica like anyone who has not written lately: look the name up once, then wait the pin out.
            Assert.NotNull(await ListAsync(new OperationLedger("set-up"), reads, other, author.Username, cancellationToken));
            var defaults = new DatabaseOptions();
            await Task.Delay(defaults.PinDuration + TimeSpan.FromSeconds(0.5), cancellationToken);

            // Writing stops at half the most lag a replica in rotation may have: the resume must find it still serving.
            var writeFor = defaults.MaxReplicaLag / 2;
            var logFrom = cluster.Nodes.Select(n => n.Log.Count).ToArray();
            ledger.Fault("pause WAL replay on the replica");
            await cluster.Replica.PauseReplayAsync(cancellationToken);
            var acknowledgedAt = new ConcurrentDictionary<string, TimeSpan>();
            var firstSeenAt = new ConcurrentDictionary<string, TimeSpan>();
            var clock = Stopwatch.StartNew();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            long otherReads = 0, staleReads = 0, lastReadStale = 0;
            var watcher = Task.Run(
                async () =>
                {
                    while (!stopWatching.IsCancellationRequested)
                    {
                        var answer = await ListAsync(ledger, reads, other, author.Username, CancellationToken.None);
                        Interlocked.Increment(ref otherReads);
                        if (answer is { } ids)
                        {
                            foreach (var id in ids)
                            {
                                firstSeenAt.TryAdd(id, clock.Elapsed);
                            }

                            var stale = acknowledgedAt.Keys.Any(id => !ids.Contains(id));
                            if (stale)
                            {
                                Interlocked.Increment(ref staleReads);
                            }

                            Interlocked.Exchange(ref lastReadStale, stale ? 1 : 0);
                        }

                        await Task.Delay(50, CancellationToken.None);
                    }
                },
                CancellationToken.None);

            var posts = RunLength.Pick(10, 40);
            long ownMisses = 0;
            var attempted = 0;
            for (var i = 0; i < posts && clock.Elapsed < writeFor; i++)
            {
                attempted++;
                var key = $"{Scenario}-{i}";
                var created = await AtriumApi.CreatePostAsync(ledger, writes, author, key, cancellationToken);
                if (!created.IsOk)
                {
                    continue;
                }

                var id = ledger.Operations.Single(o => o.Id == created.OperationId).Value!;
                acknowledgedAt[id] = clock.Elapsed;
                var own = await ListAsync(ledger, reads, author, author.Username, cancellationToken);
                if (own is null || !own.Contains(id))
                {
                    ownMisses++;
                }

                await Task.Delay(RunLength.Pick(150, 300), cancellationToken);
            }

            // A read that began after the last post was acknowledged: the replica is still read, right up to the resume.
            var readsAfterLastPost = Interlocked.Read(ref otherReads);
            await Eventually.HoldsAsync(() => Interlocked.Read(ref otherReads) >= readsAfterLastPost + 2, "the other user to read again after the last post");
            var staleAtResume = Interlocked.Read(ref lastReadStale) == 1;
            var lagAtResume = clock.Elapsed - acknowledgedAt.Values.DefaultIfEmpty(clock.Elapsed).Min();
            var replayLag = await cluster.Replica.QueryAsync(
                "SELECT COALESCE(CAST(EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp())) * 1000 AS BIGINT), 0)",
                cluster.DatabaseName, cancellationToken);
            var staleWhilePaused = Interlocked.Read(ref staleReads);
            var readsWhilePaused = Interlocked.Read(ref otherReads);
            ledger.Fault("resume WAL replay");
            var resumedAt = clock.Elapsed;
            await cluster.Replica.ResumeReplayAsync(cancellationToken);
            var healed = true;
            try
            {
                await Eventually.HoldsAsync(() => acknowledgedAt.Keys.All(firstSeenAt.ContainsKey), "the other user sees every post after replay resumed", TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                healed = false;
            }

            await stopWatching.CancelAsync();
            await watcher;
            var isolatedBy = cluster.Nodes.Where((n, i) => n.Logged(" isolated (lag ", logFrom[i])).Select(n => n.Name).ToList();

            var lost = acknowledgedAt.Keys.Count(id => !firstSeenAt.ContainsKey(id));
            var lags = acknowledgedAt.Where(a => firstSeenAt.ContainsKey(a.Key)).Select(a => firstSeenAt[a.Key] - a.Value).ToList();
            var healTime = firstSeenAt.Where(f => acknowledgedAt.ContainsKey(f.Key)).Select(f => f.Value).DefaultIfEmpty(resumedAt).Max() - resumedAt;
            var summary = ledger.Summarize(lost + ownMisses, 0, "the author reads every own post right after writing it (through the other node); others' staleness is bounded by the pause and heals after resume", new Dictionary<string, string>
            {
                ["posts acknowledged"] = acknowledgedAt.Count.ToString(CultureInfo.InvariantCulture),
                ["author's reads missing their own post"] = ownMisses.ToString(CultureInfo.InvariantCulture),
                ["other user's stale reads while paused"] = $"{staleWhilePaused} of {readsWhilePaused}",
                ["max staleness observed by the other user"] = string.Create(CultureInfo.InvariantCulture, $"{(lags.Count == 0 ? 0 : lags.Max().TotalMilliseconds):0} ms"),
                ["age of the replica's last replayed commit at resume (includes the idle wait before the pause)"] = $"{replayLag} ms",
                ["age of the oldest unreplayed post at resume (limit: MaxReplicaLag)"] = string.Create(CultureInfo.InvariantCulture, $"{lagAtResume.TotalMilliseconds:0} ms (limit {defaults.MaxReplicaLag.TotalMilliseconds:0} ms)"),
                ["other user's last read before resume stale (replica still in rotation)"] = staleAtResume ? "yes" : "no",
                ["nodes that isolated the replica"] = isolatedBy.Count == 0 ? "none" : string.Join(", ", isolatedBy),
                ["healed after resume within"] = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, healTime.TotalMilliseconds):0} ms"),
            });
            await summary.WriteAsync(cancellationToken);

            Assert.True(attempted >= 3, $"Only {attempted} posts were written within {writeFor.TotalSeconds} s.");
            Assert.Equal(attempted, acknowledgedAt.Count);
            Assert.True(staleAtResume, "The other user's last read before the resume was not stale: the replica was no longer read, so the resume was not tested.");
            Assert.Empty(isolatedBy); // the replica served reads through the pause and the resume
            Assert.Equal(0, ownMisses);
            Assert.True(staleWhilePaused > 0, "The other user never saw a stale list: the paused replica was not read.");
            Assert.True(healed, "The other user did not see every post after replay resumed.");
            Assert.Equal(0, lost);
        }
        finally
        {
            await cluster.HealAsync(cancellationToken);
        }
    }

    /// <summary>The ids of <paramref name="author"/>'s posts as <paramref name="reader"/> lists them (null: no answer).</summary>
    private static async Task<HashSet<string>?> ListAsync(OperationLedger ledger, HttpClient client, TestUser reader, string author, CancellationToken cancellationToken)
    {
        var answer = await RecordedHttp.SendAsync(ledger, AtriumApi.PostRead, $"{reader.Username}:{author}", client,
            () => AtriumApi.Authorized(HttpMethod.Get, $"/api/v1/users/{author}/posts?limit=40", reader),
            (_, _) => null,
            cancellationToken);
        return answer.IsOk
            ? [.. JsonDocument.Parse(answer.Body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("post").GetProperty("id").GetString()!)]
            : null;
    }
}
