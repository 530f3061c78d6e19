using System.Diagnostics;
using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 12: kill -9 one node behind the gateway during a mixed load (redirects, link and post creation without
/// idempotency keys, chat sends) with chat clients connected through the gateway. Only a handful of requests fail before
/// the gateway ejects the node — at most the requests in flight when it died plus the passive health check's threshold
/// plus the ones racing it, for each time the gateway took the dead node out of rotation (counted in the gateway's log,
/// so the bound does not depend on how long the load runs or on when the passive ejection lapses); no POST is applied twice (the gateway never retries: counted in the database); the chat
/// clients that were on the killed node reconnect through the gateway and resume with <c>since</c>, without gaps or
/// duplicates.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class GatewayNodeTests(FaultCluster cluster)
{
    private const string Scenario = "12-gateway-node";
    private const int Workers = 4;

    [Fact]
    public async Task A_killed_node_costs_a_handful_of_failures_and_chat_clients_resume_elsewhere()
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

            // Each time the dead node is in rotation it costs at most the failures that take it out plus the requests
            // racing them; the passive ejection lapses after Gateway:ReactivationPeriod and, until the active health
            // check has marked the node down too, the gateway may try it once more: that is a second ejection, counted.
            var ejections = cluster.Gateway.Log.Skip(gatewayLogFrom)
                .Count(line => line.Contains($"Server {victimId} failed", StringComparison.Ordinal) && line.Contains("out of rotation", StringComparison.Ordinal));
            var perEjection = FaultCluster.GatewayPassiveFailures + (2 * Workers) - 1;
            var bound = Math.Max(1, ejections) * perEjection;
            var gaps = readers.Sum(r => r.PosGaps);
            var measurements = new Dictionary<string, string>(phases.Describe())
            {
                ["failed requests after the kill (bound)"] = $"{failures} (≤ {bound} = {ejections} ejection(s) × (passive threshold {FaultCluster.GatewayPassiveFailures} + 2 × {Workers} workers − 1))",
                ["node ejected after"] = string.Create(CultureInfo.InvariantCulture, $"{ejectedAfter.TotalMilliseconds:0} ms"),
                ["the failed requests (invoked / completed, ms after the kill)"] = string.Join("; ", failed.Select(o => string.Create(
                    CultureInfo.InvariantCulture, $"{o.Kind} {(o.InvokedAt - killedAt).TotalMilliseconds:0}/{(o.CompletedAt!.Value - killedAt).TotalMilliseconds:0} {o.Error?.Split(' ')[0]}"))),
                ["unanswered POSTs that were applied (never twice)"] = $"{failedPostsApplied} of {failedPosts.Count}",
                ["chat sockets on the killed node / readers that reconnected"] = $"{socketsOnVictim} / {readers.Count(r => r.Connections > 1)} of {readers.Count}",
                ["messages (last seq) / out-of-order / missing / pos gaps"] = $"{lastSeq} / {violations.OutOfOrder} / {violations.MissingSeqs} / {gaps}",
            };
            var summary = ledger.Summarize(lost, duplicated, $"at most {perEjection} failed requests per ejection of the killed node from the gateway's rotation; no POST applied twice; chat clients resume through the gateway without gaps or duplicates", measurements);
            await summary.WriteAsync(cancellationToken);

            Assert.True(ejections >= 1, "The gateway's log does not show the killed node taken out of rotation.");
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
