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
/// is measured and reported, and the staleness heals once replay resumes.
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

            // Signing up is a write: it pins the new users' reads to the primary for the read-your-writes window, and
            // so does the node's first lookup of the author's name (a primary read). The other user must read from the
            // replica like anyone who has not written lately: look the name up once, then wait the pin out.
            Assert.NotNull(await ListAsync(new OperationLedger("set-up"), reads, other, author.Username, cancellationToken));
            await Task.Delay(new DatabaseOptions().ReadYourWritesWindow + TimeSpan.FromSeconds(0.5), cancellationToken);

            ledger.Fault("pause WAL replay on the replica");
            await cluster.Replica.PauseReplayAsync(cancellationToken);
            var acknowledgedAt = new ConcurrentDictionary<string, TimeSpan>();
            var firstSeenAt = new ConcurrentDictionary<string, TimeSpan>();
            var clock = Stopwatch.StartNew();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            long otherReads = 0, staleReads = 0;
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

                            if (acknowledgedAt.Keys.Any(id => !ids.Contains(id)))
                            {
                                Interlocked.Increment(ref staleReads);
                            }
                        }

                        await Task.Delay(50, CancellationToken.None);
                    }
                },
                CancellationToken.None);

            var posts = RunLength.Pick(10, 40);
            long ownMisses = 0;
            for (var i = 0; i < posts; i++)
            {
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

            var lost = acknowledgedAt.Keys.Count(id => !firstSeenAt.ContainsKey(id));
            var lags = acknowledgedAt.Where(a => firstSeenAt.ContainsKey(a.Key)).Select(a => firstSeenAt[a.Key] - a.Value).ToList();
            var healTime = firstSeenAt.Where(f => acknowledgedAt.ContainsKey(f.Key)).Select(f => f.Value).DefaultIfEmpty(resumedAt).Max() - resumedAt;
            var summary = ledger.Summarize(lost + ownMisses, 0, "the author reads every own post right after writing it (through the other node); others' staleness is bounded by the pause and heals after resume", new Dictionary<string, string>
            {
                ["posts acknowledged"] = acknowledgedAt.Count.ToString(CultureInfo.InvariantCulture),
                ["author's reads missing their own post"] = ownMisses.ToString(CultureInfo.InvariantCulture),
                ["other user's stale reads while paused"] = $"{staleWhilePaused} of {readsWhilePaused}",
                ["max staleness observed by the other user"] = string.Create(CultureInfo.InvariantCulture, $"{(lags.Count == 0 ? 0 : lags.Max().TotalMilliseconds):0} ms"),
                ["replica replay lag at resume (pg_last_xact_replay_timestamp)"] = $"{replayLag} ms",
                ["healed after resume within"] = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, healTime.TotalMilliseconds):0} ms"),
            });
            await summary.WriteAsync(cancellationToken);

            Assert.Equal(posts, acknowledgedAt.Count);
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
