using System.Diagnostics;
using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 12: kill -9 one node behind the gateway during a mixed load (redirects, link and post creation without
/// idempotency keys, chat sends) with chat clients connected through the gateway. No redirect fails: a GET that met the
/// dead node is sent again to the live one (the gateway's safe retry), however many meet it before it is ejected, so the
/// bound is 0 whatever the machine's pace. The unsafe requests (POSTs) are never sent twice: a handful fail, at most
/// (logged ejections + 1) × threshold − 1 plus those in flight on the node when it died, and none is applied twice
/// (counted in the database); the chat clients that were on the killed node reconnect through the gateway and resume
/// with <c>since</c>, without gaps or duplicates.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class GatewayNodeTests(FaultCluster cluster)
{
    private const string Scenario = "12-gateway-node";
    private const int Workers = 4;

    [Fact]
    public async Task A_killed_node_fails_no_redirect_and_chat_clients_resume_elsewhere()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var phases = new PhaseCounts();
        var victim = cluster.Nodes[0];
        const string victimId = "node1";
        var readers = new List<ChatReader>();
        try
        {
            await GatewayView.WaitUntilAllAvailableAsync(cluster.Gateway, cancellationToken);
            using var client = cluster.Gateway.CreateClient(TimeSpan.FromSeconds(10));
            var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AtriumApi.SignUpAsync(client, cancellationToken)));
            var conversation = await AtriumApi.CreateConversationAsync(client, users[0], users.Skip(1).Select(u => u.Username), "gateway", cancellationToken);
            var codes = new List<(string Code, string Key)>();
            for (var i = 0; i < 10; i++)
            {
                var created = await AtriumApi.CreateLinkAsync(new OperationLedger("set-up"), client, users[0], $"{Scenario}-setup-{i}", null, cancellationToken);
                codes.Add((RecordedHttp.Property(created.Body, "code")!, $"{Scenario}-setup-{i}"));
            }

            // Chat clients through the gateway, until some of them are on the node that will be killed.
            while (readers.Count < 4 || (readers.Count < 16 && await GatewayView.ConcurrentRequestsAsync(cluster.Gateway, victimId, cancellationToken) < 2))
            {
                var reader = new ChatReader(users[readers.Count % users.Length], () => cluster.Gateway.BaseAddress);
                await reader.StartAsync(cancellationToken);
                readers.Add(reader);
            }

            var socketsOnVictim = await GatewayView.ConcurrentRequestsAsync(cluster.Gateway, victimId, cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            long completed = 0;
            phases.Enter("all nodes up");
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(
                async () =>
                {
                    string? unsent = null; // a chat message without an answer is sent again, same clientMessageId
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var key = string.Create(CultureInfo.InvariantCulture, $"{Scenario}-w{worker}-{n}");
                        var user = users[worker];
                        var answer = (n % 4) switch
                        {
                            0 => await AtriumApi.RedirectAsync(ledger, client, codes[n % codes.Count].Code, CancellationToken.None),
                            1 => await AtriumApi.CreateLinkAsync(ledger, client, user, key, null, CancellationToken.None),
                            2 => await AtriumApi.CreatePostAsync(ledger, client, user, key, CancellationToken.None),
                            _ => await AtriumApi.SendMessageAsync(ledger, client, user, conversation, unsent ?? key, CancellationToken.None),
                        };
                        if (n % 4 == 3)
                        {
                            unsent = answer.IsOk ? null : unsent ?? key;
                        }

                        phases.Count(answer);
                        Interlocked.Increment(ref completed);
                        await Task.Delay(10, CancellationToken.None);
                    }

                    // Before the readers are checked, the last message without an answer gets one.
                    if (unsent is not null)
                    {
                        await ReliableSender.SendAsync(ledger, () => client, users[worker], conversation, unsent, cancellationToken);
                    }
                },
                CancellationToken.None)).ToArray();

            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)), cancellationToken);
            ledger.Fault($"kill -9 {victim.Name} behind the gateway ({socketsOnVictim} chat sockets on it)");
            phases.Enter("node killed");
            var clock = Stopwatch.StartNew();
            var killedAt = ledger.Elapsed;
            var gatewayLogFrom = cluster.Gateway.Log.Count;
            await victim.KillAsync();
            await Eventually.HoldsAsync(
                async () => !(await GatewayView.AvailableAsync(cluster.Gateway, cancellationToken)).Contains(victimId),
                "the gateway ejects the killed node",
                TimeSpan.FromSeconds(60));
            var ejectedAfter = clock.Elapsed;

            // The load goes on for a number of requests, not a time: what is counted does not depend on the machine's pace.
            var until = Interlocked.Read(ref completed) + RunLength.Pick(100, 400);
            await Eventually.HoldsAsync(() => Interlocked.Read(ref completed) >= until, "the load to go on after the ejection", TimeSpan.FromSeconds(120));
            await stop.CancelAsync();
            await Task.WhenAll(load);

            // Every reader catches up with the conversation, each message once and in order.
            var lastSeq = await Readback.LastSeqAsync(client, users[0], conversation, cancellationToken);
            var acknowledged = ledger.Acknowledged(AtriumApi.ChatSend).GroupBy(o => o.Key).Select(g => g.First())
                .ToDictionary(o => o.Key, o => long.Parse(o.Value!, CultureInfo.InvariantCulture));
            var violations = StreamViolations.None;
            foreach (var reader in readers)
            {
                await reader.WaitForAsync(conversation, lastSeq);
                violations = violations.Add(StreamCheck.Check(reader.MessagesOf(conversation), lastSeq, acknowledged, AtriumApi.MessageTextOf));
            }

            // No POST applied twice; every acknowledged one applied.
            var links = await Effects.LinksAsync(cluster.Database, AtriumApi.TargetOf($"{Scenario}-w"), cancellationToken);
            var posts = await Effects.PostsAsync(cluster.Database, AtriumApi.PostTextOf($"{Scenario}-w"), cancellationToken);
            var lost = violations.Lost
                + ledger.Acknowledged(AtriumApi.LinkCreate).Count(o => !links.ContainsKey(AtriumApi.TargetOf(o.Key)))
                + ledger.Acknowledged(AtriumApi.PostCreate).Count(o => !posts.ContainsKey(AtriumApi.PostTextOf(o.Key)));
            var duplicated = Effects.Duplicates(links) + Effects.Duplicates(posts) + violations.Duplicated;
            var failedPosts = ledger.Operations.Where(o => o.Kind is AtriumApi.LinkCreate or AtriumApi.PostCreate && o.Outcome != Outcome.Ok).ToList();
            var failedPostsApplied = failedPosts.Count(o => o.Kind == AtriumApi.LinkCreate ? links.ContainsKey(AtriumApi.TargetOf(o.Key)) : posts.ContainsKey(AtriumApi.PostTextOf(o.Key)));
            var failed = ledger.Operations.Where(o => o.Outcome != Outcome.Ok && o.CompletedAt >= killedAt).ToList();
            var failures = failed.Count;
            var failedRedirects = ledger.Operations.Count(o => o.Kind == AtriumApi.LinkRedirect && o.Outcome != Outcome.Ok);
            var redirects = ledger.Operations.Count(o => o.Kind == AtriumApi.LinkRedirect);
            var retries = cluster.Gateway.Log.Skip(gatewayLogFrom).Count(line => line.Contains("did not answer; sent again to", StringComparison.Ordinal));

            // The unsafe requests, counted, not timed: the passive check logs each time a failure brings the dead node's
            // count of failures in a row to the threshold (requests racing an ejection, or the node tried again once the
            // ejection lapsed, log again), and resets the count there. So every failure either logged, or was one of at
            // most threshold − 1 before the first log or after each: at most (ejections + 1) × threshold − 1 failures,
            // however long the load; plus the requests in flight on the node when it died (one per worker), which may
            // fail in a way the check does not count (a response cut off mid-body). A retried GET's first attempt counts
            // there too, and only makes the ejection come sooner.
            var ejections = cluster.Gateway.Log.Skip(gatewayLogFrom)
                .Count(line => line.Contains($"Server {victimId} failed", StringComparison.Ordinal) && line.Contains("out of rotation", StringComparison.Ordinal));
            var bound = ((ejections + 1) * FaultCluster.GatewayPassiveFailures) - 1 + Workers;
            var gaps = readers.Sum(r => r.PosGaps);
            var measurements = new Dictionary<string, string>(phases.Describe())
            {
                ["failed redirects (bound 0)"] = $"{failedRedirects} of {redirects}",
                ["redirects sent again to the live node (gateway's log)"] = retries.ToString(CultureInfo.InvariantCulture),
                ["failed requests after the kill (bound)"] = $"{failures} (≤ {bound} = ({ejections} ejection(s) logged + 1) × passive threshold {FaultCluster.GatewayPassiveFailures} − 1 + {Workers} in flight)",
                ["node ejected after"] = string.Create(CultureInfo.InvariantCulture, $"{ejectedAfter.TotalMilliseconds:0} ms"),
                ["the failed requests (invoked / completed, ms after the kill)"] = string.Join("; ", failed.Select(o => string.Create(
                    CultureInfo.InvariantCulture, $"{o.Kind} {(o.InvokedAt - killedAt).TotalMilliseconds:0}/{(o.CompletedAt!.Value - killedAt).TotalMilliseconds:0} {o.Error?.Split(' ')[0]}"))),
                ["unanswered POSTs that were applied (never twice)"] = $"{failedPostsApplied} of {failedPosts.Count}",
                ["chat sockets on the killed node / readers that reconnected"] = $"{socketsOnVictim} / {readers.Count(r => r.Connections > 1)} of {readers.Count}",
                ["messages (last seq) / out-of-order / missing / pos gaps"] = $"{lastSeq} / {violations.OutOfOrder} / {violations.MissingSeqs} / {gaps}",
            };
            var summary = ledger.Summarize(lost, duplicated, $"no failed redirect (a GET that met the dead node is sent again to the live one); at most (ejections + 1) × {FaultCluster.GatewayPassiveFailures} − 1 + {Workers} in flight failed requests, ejections of the killed node counted in the gateway's log; no POST applied twice; chat clients resume through the gateway without gaps or duplicates", measurements);
            await summary.WriteAsync(cancellationToken);

            Assert.True(ejections >= 1, "The gateway's log does not show the killed node taken out of rotation.");
            Assert.Equal(0, failedRedirects);
            Assert.InRange(failures, 0, bound);
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, violations.OutOfOrder + violations.MissingSeqs + gaps);
            Assert.True(socketsOnVictim > 0, "No chat client was on the killed node.");
            Assert.Contains(readers, r => r.Connections > 1);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }

            await cluster.HealAsync(cancellationToken);
        }
    }
}
