using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 10: Redis loses everything (FLUSHALL), then dies (kill -9) and comes back empty, under a mixed load of
/// redirects, post and timeline reads, chat sends, and link and post creation — before and DURING the faults. Nothing
/// authoritative is lost (every acknowledged link redirects on both nodes, every acknowledged post reads and is on the
/// follower's timeline, chat history is whole), writes go on being acknowledged in every phase, the service keeps
/// answering (failed requests are counted per phase and reported), and the caches fill again afterwards.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class RedisLossTests(FaultCluster cluster)
{
    private const string Scenario = "10-redis-loss";
    private static readonly string[] Phases = ["Redis healthy", "Redis flushed", "Redis down", "Redis back, empty"];

    [Fact]
    public async Task Nothing_authoritative_is_lost_when_Redis_is_flushed_and_killed()
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

            phases.Enter("Redis healthy");
            var links = new List<(string Code, string Key)>();
            var posts = new List<(string Id, string Key)>();
            for (var i = 0; i < RunLength.Pick(10, 30); i++)
            {
                var key = $"{Scenario}-{i}";
                var link = await AtriumApi.CreateLinkAsync(ledger, clients[i % 2], author, key, null, cancellationToken);
                var post = await AtriumApi.CreatePostAsync(ledger, clients[i % 2], author, key, cancellationToken);
                links.Add((ledger.Operations.Single(o => o.Id == link.OperationId).Value!, key));
                posts.Add((ledger.Operations.Single(o => o.Id == post.OperationId).Value!, key));
            }

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
                            0 => await AtriumApi.RedirectAsync(ledger, client, links[n % links.Count].Code, CancellationToken.None),
                            1 => await AtriumApi.ReadPostAsync(ledger, client, follower, posts[n % posts.Count].Id, CancellationToken.None),
                            2 => await AtriumApi.ReadFeedAsync(ledger, client, follower, CancellationToken.None),
                            3 => await AtriumApi.SendMessageAsync(ledger, client, author, conversation, $"{Scenario}-m{Interlocked.Increment(ref sent)}", CancellationToken.None),
                            4 => await AtriumApi.CreateLinkAsync(ledger, client, author, key, null, CancellationToken.None),
                            _ => await AtriumApi.CreatePostAsync(ledger, client, author, key, CancellationToken.None),
                        };
                        if (n % 6 >= 4 && answer.IsOk)
                        {
                            writesAcknowledged.AddOrUpdate(phases.Current, 1, (_, count) => count + 1);
                        }

                        phases.Count(answer);
                        await Task.Delay(20, CancellationToken.None);
                    }
                },
                CancellationToken.None)).ToArray();

            var phase = RunLength.Pick(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
            await Task.Delay(phase, cancellationToken);
            await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{cluster.Redis.ConnectionString},allowAdmin=true"))
            {
                ledger.Fault("Redis FLUSHALL (every cache entry, timeline, pin, presence and rate-limit bucket gone)");
                await admin.GetServers()[0].FlushAllDatabasesAsync();
            }

            phases.Enter("Redis flushed");
            await Task.Delay(phase, cancellationToken);
            ledger.Fault("kill -9 Redis");
            await cluster.Redis.StopAsync(cancellationToken);
            phases.Enter("Redis down");
            await Task.Delay(phase, cancellationToken);
            ledger.Fault("restart Redis (empty)");
            await cluster.Redis.StartAsync(cancellationToken);
            phases.Enter("Redis back, empty");
            await Task.Delay(phase, cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            // Nothing authoritative lost: read back every acknowledged link and post (made before or during the faults),
            // through both nodes.
            var acknowledgedLinks = ledger.Acknowledged(AtriumApi.LinkCreate).Select(o => (Code: o.Value!, o.Key)).ToList();
            var acknowledgedPosts = ledger.Acknowledged(AtriumApi.PostCreate).Select(o => (Id: o.Value!, o.Key)).ToList();
            long lost = 0;
            foreach (var (code, key) in acknowledgedLinks)
            {
                foreach (var client in clients)
                {
                    lost += await Readback.RedirectTargetAsync(client, code, cancellationToken) == AtriumApi.TargetOf(key) ? 0 : 1;
                }
            }

            foreach (var (id, key) in acknowledgedPosts)
            {
                lost += await Readback.PostTextAsync(clients[1], follower, id, cancellationToken) == AtriumApi.PostTextOf(key) ? 0 : 1;
            }

            var timelineRebuilt = true;
            try
            {
                await Eventually.HoldsAsync(
                    async () =>
                    {
                        var ids = (await Readback.FeedIdsAsync(clients[0], follower, cancellationToken)).ToHashSet();
                        return acknowledgedPosts.All(p => ids.Contains(p.Id));
                    },
                    "the follower's timeline holds every post again",
                    TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                timelineRebuilt = false;
                lost += 1;
            }

            var history = await Readback.HistoryAsync(clients[1], follower, conversation, cancellationToken);
            var acknowledged = ledger.Acknowledged(AtriumApi.ChatSend).ToDictionary(o => o.Key, o => long.Parse(o.Value!, CultureInfo.InvariantCulture));
            var stream = StreamCheck.Check(history, history.Count == 0 ? 0 : history[^1].Seq, acknowledged, AtriumApi.MessageTextOf);
            lost += stream.Lost;

            // Caches fill again: fresh reads through both nodes put entries back into Redis.
            var refilled = await Eventually.ReachesAsync(
                async () =>
                {
                    foreach (var (code, _) in links.Take(5))
                    {
                        foreach (var client in clients)
                        {
                            await Readback.RedirectTargetAsync(client, code, cancellationToken);
                        }
                    }

                    await using var redis = await ConnectionMultiplexer.ConnectAsync($"{cluster.Redis.ConnectionString},allowAdmin=true");
                    var server = redis.GetServers()[0];
                    return (Cache: server.Keys(pattern: "atrium:cache:*").Count(), Timelines: server.Keys(pattern: "atrium:feed:*").Count());
                },
                keys => keys.Cache > 0,
                "cache entries back in Redis",
                TimeSpan.FromSeconds(90));

            var duplicated = Effects.Duplicates(await Effects.MessagesAsync(cluster.Database, Scenario, cancellationToken)) + stream.Duplicated;
            var measurements = new Dictionary<string, string>(phases.Describe())
            {
                ["links / posts / acknowledged messages checked"] = $"{acknowledgedLinks.Count} / {acknowledgedPosts.Count} / {acknowledged.Count}",
                ["links and posts acknowledged per phase"] = string.Join("; ", Phases.Select(each => $"{each} {writesAcknowledged.GetValueOrDefault(each)}")),
                ["follower's timeline rebuilt with every post"] = timelineRebuilt.ToString(),
                ["Redis keys after recovery (cache / feed)"] = $"{refilled.Cache} / {refilled.Timelines}",
            };
            var summary = ledger.Summarize(lost, duplicated, "after FLUSHALL and kill -9 of Redis, with links and posts written before and during the faults: every acknowledged link redirects, every acknowledged post reads and is on the timeline, chat history is whole; caches refill", measurements);
            await summary.WriteAsync(cancellationToken);

            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, stream.MissingSeqs + stream.OutOfOrder);
            foreach (var each in new[] { "Redis flushed", "Redis down", "Redis back, empty" })
            {
                Assert.True(phases.Of(each, Outcome.Ok) > 0, $"Nothing succeeded while {each}: the service stopped.");
                Assert.True(writesAcknowledged.GetValueOrDefault(each) > 0, $"No link or post was acknowledged while {each}: the scenario did not write during the fault.");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await cluster.HealAsync(cancellationToken);
        }
    }
}
