using System.Collections.Concurrent;
using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 11: Redis turns slow (every byte to and from it held 400 ms by the <see cref="FaultProxy"/>, twice the L2
/// timeout), then its connections are reset, under a stream of redirects that miss the node's L1 (each code is followed
/// once). The Redis circuit breaker opens (the node logs it), every redirect still answers with the right target (their
/// latency during the faults is measured and reported, never asserted), and once the faults are removed the breaker
/// half-opens and closes again.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class RedisLatencyTests(FaultCluster cluster)
{
    private const string Scenario = "11-redis-latency";
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Redirects_keep_answering_while_the_Redis_breaker_opens_and_recovers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var node = cluster.Nodes[0];
        try
        {
            // Links made through the other node: this node's L1 has none of them, so each first redirect asks Redis.
            using var setup = cluster.Nodes[1].CreateClient();
            var owner = await AtriumApi.SignUpAsync(setup, cancellationToken);
            var fresh = new ConcurrentQueue<(string Code, string Key)>();
            var count = RunLength.Pick(400, 1500);
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var key = $"{Scenario}-{i}";
                var created = await AtriumApi.CreateLinkAsync(new OperationLedger("set-up"), setup, owner, key, null, ct);
                fresh.Enqueue((RecordedHttp.Property(created.Body, "code")!, key));
            });

            var used = new ConcurrentQueue<(string Code, string Key)>();
            var healthy = new Latencies();
            var slow = new Latencies();
            var reset = new Latencies();
            var recovering = new Latencies();
            var current = healthy;
            long wrong = 0;
            using var client = node.CreateClient(TimeSpan.FromSeconds(30));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var load = Task.Run(
                async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        if (!fresh.TryDequeue(out var link) && !used.TryDequeue(out link))
                        {
                            break;
                        }

                        var answer = await AtriumApi.RedirectAsync(ledger, client, link.Code, CancellationToken.None);
                        Volatile.Read(ref current).Add(answer.Elapsed);
                        if (!answer.IsOk || answer.Location != AtriumApi.TargetOf(link.Key))
                        {
                            Interlocked.Increment(ref wrong);
                        }

                        used.Enqueue(link);
                        await Task.Delay(25, CancellationToken.None);
                    }
                },
                CancellationToken.None);

            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), cancellationToken);
            var faultLine = node.Log.Count;
            var faultAt = DateTimeOffset.UtcNow;
            ledger.Fault($"Redis behind {Latency.TotalMilliseconds:0} ms of latency each way (the L2 timeout is 200 ms)");
            Volatile.Write(ref current, slow);
            cluster.RedisProxy.Delay(Latency);
            var opened = await Eventually.ReachesAsync(() => Task.FromResult(node.Logged("Circuit redis opened", faultLine)), o => o, "the Redis circuit opens", TimeSpan.FromSeconds(60));
            var openedAfter = node.LoggedAt("Circuit redis opened", faultLine) - faultAt;
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), cancellationToken);

            ledger.Fault("Redis connections reset (every open one, and every new one)");
            Volatile.Write(ref current, reset);
            cluster.RedisProxy.Reset();
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8)), cancellationToken);

            var healLine = node.Log.Count;
            var healAt = DateTimeOffset.UtcNow;
            ledger.Fault("Redis faults removed");
            cluster.RedisProxy.Pass();
            Volatile.Write(ref current, recovering);
            await Eventually.HoldsAsync(() => node.Logged("Circuit redis half-open", healLine) && node.Logged("Circuit redis closed", healLine), "the Redis circuit half-opens and closes", TimeSpan.FromSeconds(60));
            var halfOpenedAfter = node.LoggedAt("Circuit redis half-open", healLine) - healAt;
            var closedAfter = node.LoggedAt("Circuit redis closed", healLine) - healAt;
            await stop.CancelAsync();
            await load;

            var summary = ledger.Summarize(Interlocked.Read(ref wrong), 0, "every redirect answers with its target while Redis is slow (the breaker opens) and its connections reset, and the breaker half-opens and closes once Redis is healthy", new Dictionary<string, string>
            {
                ["redirect latency, Redis healthy"] = healthy.Describe(),
                ["redirect latency, Redis slow"] = slow.Describe(),
                ["redirect latency, Redis connections reset"] = reset.Describe(),
                ["redirect latency, recovering"] = recovering.Describe(),
                ["breaker opened after the fault began (node's log)"] = Milliseconds(openedAfter),
                ["breaker half-opened / closed after the fault was removed (node's log)"] = $"{Milliseconds(halfOpenedAfter)} / {Milliseconds(closedAfter)}",
            });
            await summary.WriteAsync(cancellationToken);

            Assert.True(opened);
            Assert.True(slow.Count > 0 && reset.Count > 0 && recovering.Count > 0);
            Assert.Equal(0, Interlocked.Read(ref wrong));
        }
        finally
        {
            await cluster.HealAsync(cancellationToken);
        }
    }

    private static string Milliseconds(TimeSpan? elapsed) =>
        elapsed is { } e ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, e.TotalMilliseconds):0} ms") : "not logged";
}
