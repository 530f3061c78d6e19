using System.Diagnostics;
using System.Globalization;
using System.Net;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Faults.Tests.RedisCluster;

/// <summary>
/// Scenario 15: kill -9 of a Redis Cluster master (the one where the nodes' pub/sub subscriptions are, else the one
/// holding the follower's home timeline) under a mixed load of
/// redirects, post and timeline reads, chat sends, and link and post creation. Its replica is promoted; the Atrium
/// nodes follow by themselves (no restart): they write to the cluster again and a deletion on one node reaches the
/// other's L1 over pub/sub. Nothing authoritative is lost (every acknowledged link and post is in PostgreSQL once and
/// reads back, chat history is whole) and every post is on the follower's timeline afterwards (kept by the replica, or
/// rebuilt on the next read when lost with the master).
/// </summary>
[Collection(RedisClusterScenarios.Name)]
public sealed class MasterKillTests(RedisClusterFaults cluster)
{
    private const string Scenario = "15-redis-cluster-master-kill";
    private const string Deleted = Scenario + "-deleted";
    private static readonly string[] Phases = ["cluster healthy", "master killed", "replica promoted"];

    [Fact]
    public async Task A_killed_master_is_replaced_by_its_replica_and_nothing_authoritative_is_lost()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var phases = new PhaseCounts();
        var clients = cluster.Nodes.Select(n => n.CreateClient(TimeSpan.FromSeconds(10))).ToArray();
        try
        {
            var author = await AtriumApi.SignUpAsync(clients[0], cancellationToken);
            var follower = await AtriumApi.SignUpAsync(clients[1], cancellationToken);
            Assert.True((await AtriumApi.FollowAsync(ledger, clients[1], follower, author.Username, cancellationToken)).IsOk);
            var conversation = await AtriumApi.CreateConversationAsync(clients[0], author, [follower.Username], null, cancellationToken);

            phases.Enter("cluster healthy");
            var links = new List<string>();
            var posts = new List<string>();
            for (var i = 0; i < RunLength.Pick(10, 30); i++)
            {
                var key = $"{Scenario}-{i}";
                var link = await AtriumApi.CreateLinkAsync(ledger, clients[i % 2], author, key, null, cancellationToken);
                var post = await AtriumApi.CreatePostAsync(ledger, clients[i % 2], author, key, cancellationToken);
                links.Add(ledger.Operations.Single(o => o.Id == link.OperationId).Value!);
                posts.Add(ledger.Operations.Single(o => o.Id == post.OperationId).Value!);
            }

            // The follower's timeline is built (a read), so the kill takes a timeline with it.
            await Readback.FeedIdsAsync(clients[1], follower, cancellationToken);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sent = 0;
            var writesAcknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
            var load = Enumerable.Range(0, 3).Select(worker => Task.Run(
                async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var client = clients[(worker + n) % clients.Length];
                        var key = string.Create(CultureInfo.InvariantCulture, $"{Scenario}-w{worker}-{n}");
                        var answer = (n % 6) switch
                        {
                            0 => await AtriumApi.RedirectAsync(ledger, client, links[n % links.Count], CancellationToken.None),
                            1 => await AtriumApi.ReadPostAsync(ledger, client, follower, posts[n % posts.Count], CancellationToken.None),
                            2 => await AtriumApi.ReadFeedAsync(ledger, client, follower, CancellationToken.None),
                            3 => await AtriumApi.SendMessageAsync(ledger, client, author, conversation, $"{Scenario}-m{Interlocked.Increment(ref sent)}", CancellationToken.None),
                            4 => await AtriumApi.CreateLinkAsync(ledger, client, author, key, null, CancellationToken.None),
                            _ => await AtriumApi.CreatePostAsync(ledger, client, author, key, CancellationToken.None),
                        };
                        if (n % 6 >= 3 && answer.IsOk)
                        {
                            writesAcknowledged.AddOrUpdate(phases.Current, 1, (_, count) => count + 1);
                        }

                        phases.Count(answer);
                        await Task.Delay(20, CancellationToken.None);
                    }
                },
                CancellationToken.None)).ToArray();

            var phase = RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
            await Task.Delay(phase, cancellationToken);

            // The master to kill: the one where the nodes hold the most pub/sub subscriptions (cache invalidation, guess
            // blocks, chat node channels), so the nodes must subscribe again elsewhere; between equals, the one holding the
            // follower's timeline.
            string timeline;
            int target;
            int subscriptions;
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString))
            {
                var masters = redis.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToList();
                timeline = masters.SelectMany(s => s.Keys(pattern: "atrium:feed:tl:*")).Select(k => (string)k!).Single();
                var timelineMaster = ((IPEndPoint)redis.GetDatabase().IdentifyEndpoint(timeline)!).Port;
                var counts = new List<(int Port, int Channels)>();
                foreach (var server in masters)
                {
                    var channels = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", "atrium:*"))!;
                    counts.Add((((IPEndPoint)server.EndPoint).Port, channels.Length));
                }

                (target, subscriptions) = counts.OrderByDescending(c => c.Channels).ThenByDescending(c => c.Port == timelineMaster).First();
                timeline = target == timelineMaster ? timeline : "";
            }

            var (master, replicaPort) = await cluster.Redis.KillMasterOnPortAsync(target, cancellationToken);
            ledger.Fault($"kill -9 the Redis master on port {master.Port} ({subscriptions} channels subscribed there{(timeline.Length > 0 ? ", the follower's timeline" : "")})");
            var killed = Stopwatch.StartNew();
            phases.Enter("master killed");
            await cluster.Redis.WaitForPromotionAsync(replicaPort, cancellationToken);
            var promotion = killed.Elapsed;
            ledger.Fault($"its replica on port {replicaPort} promoted (by the cluster, {promotion.TotalSeconds:0.0} s after the kill)");
            phases.Enter("replica promoted");
            await Task.Delay(phase, cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            // Atrium followed the failover by itself: the same processes, writing to the cluster again (a resolved link is
            // stored in the L2, whichever master its slot is on) ...
            Assert.All(cluster.Nodes, n => Assert.True(n.IsRunning, $"{n.Name} is not running"));
            await using var check = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
            var reconnected = Stopwatch.StartNew();
            for (var node = 0; node < clients.Length; node++)
            {
                var client = clients[node];
                await Eventually.ReachesAsync(
                    async () =>
                    {
                        var created = await AtriumApi.CreateLinkAsync(ledger, client, author, $"{Scenario}-after-{Guid.NewGuid():N}", null, cancellationToken);
                        var code = ledger.Operations.Single(o => o.Id == created.OperationId).Value;
                        if (code is null)
                        {
                            return false;
                        }

                        await Readback.RedirectTargetAsync(client, code, cancellationToken);
                        return await check.GetDatabase().KeyExistsAsync($"atrium:cache:links:link:{code}");
                    },
                    stored => stored,
                    $"node {node + 1} to store a resolved link in the cluster after the failover",
                    TimeSpan.FromSeconds(60));
            }

            var writingAgain = reconnected.Elapsed;

            // ... and an invalidation published through one node reaches the other's L1 (pub/sub after the failover).
            var invalidated = await InvalidationCrossesAsync(clients, author, ledger, cancellationToken);

            // Nothing authoritative lost: every acknowledged link and post is in PostgreSQL exactly once and reads back.
            var acknowledgedLinks = ledger.Acknowledged(AtriumApi.LinkCreate).Where(o => o.Key != Deleted)
                .Select(o => (Code: o.Value!, o.Key)).ToList();
            var acknowledgedPosts = ledger.Acknowledged(AtriumApi.PostCreate).Select(o => (Id: o.Value!, o.Key)).ToList();
            var storedLinks = await Effects.LinksAsync(cluster.Database, AtriumApi.TargetOf(Scenario), cancellationToken);
            var storedPosts = await Effects.PostsAsync(cluster.Database, AtriumApi.PostTextOf(Scenario), cancellationToken);
            long lost = acknowledgedLinks.Count(l => !storedLinks.ContainsKey(AtriumApi.TargetOf(l.Key)))
                + acknowledgedPosts.Count(p => !storedPosts.ContainsKey(AtriumApi.PostTextOf(p.Key)));
            foreach (var (code, key) in acknowledgedLinks)
            {
                foreach (var client in clients)
                {
                    lost += await Readback.RedirectTargetAsync(client, code, cancellationToken) == AtriumApi.TargetOf(key) ? 0 : 1;
                }
            }

            // Every post on the follower's timeline: kept by the promoted replica, or rebuilt on the next read.
            var timelineWhole = true;
            try
            {
                await Eventually.HoldsAsync(
                    async () =>
                    {
                        var ids = (await Readback.FeedIdsAsync(clients[0], follower, cancellationToken)).ToHashSet();
                        return acknowledgedPosts.All(p => ids.Contains(p.Id));
                    },
                    "the follower's timeline holds every acknowledged post",
                    TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                timelineWhole = false;
                lost += 1;
            }

            var history = await Readback.HistoryAsync(clients[1], follower, conversation, cancellationToken);
            var acknowledged = ledger.Acknowledged(AtriumApi.ChatSend).ToDictionary(o => o.Key, o => long.Parse(o.Value!, CultureInfo.InvariantCulture));
            var stream = StreamCheck.Check(history, history.Count == 0 ? 0 : history[^1].Seq, acknowledged, AtriumApi.MessageTextOf);
            lost += stream.Lost;

            var duplicated = Effects.Duplicates(storedLinks) + Effects.Duplicates(storedPosts)
                + Effects.Duplicates(await Effects.MessagesAsync(cluster.Database, Scenario, cancellationToken)) + stream.Duplicated;
            var measurements = new Dictionary<string, string>(phases.Describe())
            {
                ["links / posts / acknowledged messages checked"] = $"{acknowledgedLinks.Count} / {acknowledgedPosts.Count} / {acknowledged.Count}",
                ["writes acknowledged per phase"] = string.Join("; ", Phases.Select(each => $"{each} {writesAcknowledged.GetValueOrDefault(each)}")),
                ["kill -9 to replica promoted"] = $"{promotion.TotalSeconds:0.0} s (cluster-node-timeout {Atrium.Testing.Servers.RedisCluster.NodeTimeoutMs} ms)",
                ["both nodes writing to the cluster again, checked after the load"] = $"within {writingAgain.TotalSeconds:0.0} s, no restart",
                ["a deletion on node 1 seen by node 2's L1 after the failover"] = invalidated,
                ["channels subscribed on the killed master / follower's timeline on it"] = $"{subscriptions} / {(timeline.Length > 0 ? "yes" : "no")}",
                ["follower's timeline holds every post"] = timelineWhole.ToString(),
            };
            var summary = ledger.Summarize(lost, duplicated, "after kill -9 of a Redis Cluster master under load: its replica is promoted, the nodes write to the cluster again without a restart, every acknowledged link and post is in PostgreSQL once and reads back, every post is on the follower's timeline, chat history is whole", measurements);
            await summary.WriteAsync(cancellationToken);

            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, stream.MissingSeqs + stream.OutOfOrder);
            foreach (var each in Phases)
            {
                Assert.True(phases.Of(each, Outcome.Ok) > 0, $"Nothing succeeded while {each}: the service stopped.");
                Assert.True(writesAcknowledged.GetValueOrDefault(each) > 0, $"No write was acknowledged while {each}.");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var node in cluster.Redis.Nodes.Where(n => !n.IsRunning))
            {
                await cluster.Redis.RestartAsync(node, CancellationToken.None);
            }
        }
    }

    /// <summary>A link resolved through node 2 (into its L1), deleted through node 1: node 2 answers 410 within seconds.</summary>
    private static async Task<string> InvalidationCrossesAsync(HttpClient[] clients, TestUser author, OperationLedger ledger, CancellationToken cancellationToken)
    {
        var created = await AtriumApi.CreateLinkAsync(ledger, clients[0], author, Deleted, null, cancellationToken);
        var code = ledger.Operations.Single(o => o.Id == created.OperationId).Value ?? throw new InvalidOperationException("the link was not created");
        Assert.NotNull(await Readback.RedirectTargetAsync(clients[1], code, cancellationToken));
        using (var delete = AtriumApi.Authorized(HttpMethod.Delete, $"/api/v1/links/{code}", author))
        using (var response = await clients[0].SendAsync(delete, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var watch = Stopwatch.StartNew();
        await Eventually.ReachesAsync(
            async () =>
            {
                using var response = await clients[1].GetAsync(new Uri($"/{code}", UriKind.Relative), cancellationToken);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.Gone,
            "node 2 to answer 410 for a link deleted through node 1 after the failover",
            TimeSpan.FromSeconds(20));
        return $"yes, within {watch.Elapsed.TotalSeconds:0.0} s (the L1 lifetime is 60 s)";
    }
}
