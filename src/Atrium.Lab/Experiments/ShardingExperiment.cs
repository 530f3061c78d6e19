using System.Globalization;
using Atrium.Lab.Reports;
using Atrium.Platform.Sharding;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>sharding</c>: mod-N vs Atrium's consistent-hash ring (1, 16, 256 virtual nodes) when a node joins and when
/// one leaves — the share of keys that move and how evenly keys spread — and a time-ranged shard key vs a hashed
/// id: the hottest shard's share of the newest writes.
/// </summary>
internal sealed class ShardingExperiment : IExperiment
{
    private const int Nodes = 4;

    public string Name => "sharding";

    public string Summary => "mod-N vs consistent hashing (1/16/256 virtual nodes) on node join/leave; time-ranged vs hashed shard key";

    public Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var keyCount = context.Pick(200_000, 20_000);
        var keys = Enumerable.Range(0, keyCount).Select(i => $"links:link:{i:x}").ToArray();
        var strategies = new IPlacement[] { new ModN(), new Ring(1), new Ring(16), new Ring(256) };
        var step = context.Progress.Step($"placing {keyCount:N0} keys", strategies.Length);
        var rows = new List<IReadOnlyList<string>>();
        var findings = new Dictionary<string, double>();
        var joins = new List<double>();
        var leaves = new List<double>();
        foreach (var strategy in strategies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = strategy.Place(keys, NodeNames(Nodes));
            var joined = strategy.Place(keys, NodeNames(Nodes + 1));
            var left = strategy.Place(keys, NodeNames(Nodes + 1).Where(n => n != "node-2").ToArray(), joined);
            var joinMoved = Moved(before, joined);
            var leaveMoved = Moved(joined, left);
            var spread = Spread(joined, Nodes + 1);
            joins.Add(joinMoved * 100);
            leaves.Add(leaveMoved * 100);
            findings[$"{strategy.Key}.joinMoved"] = joinMoved;
            findings[$"{strategy.Key}.leaveMoved"] = leaveMoved;
            findings[$"{strategy.Key}.maxOverMean"] = spread;
            rows.Add([strategy.Label, Percent(joinMoved), Percent(leaveMoved), spread.ToString("0.00", CultureInfo.InvariantCulture) + "×"]);
            step.Advance();
        }

        step.Complete();
        var (timeHottest, hashHottest) = HottestShare(context.Pick(100_000, 10_000));
        findings["timeRange.hottestShare"] = timeHottest;
        findings["hashedId.hottestShare"] = hashHottest;

        var ideal = 1.0 / (Nodes + 1);
        var modN = findings["mod-n.joinMoved"];
        var ring = findings["ring-256.joinMoved"];
        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"When a {Nodes + 1}th node joined, mod-N moved {Percent(modN)} of the keys and the ring with 256 virtual nodes " +
            $"{Percent(ring)} (ideal: {Percent(ideal)}), {modN / ring:0.0}× fewer; with 1 virtual node the busiest node held " +
            $"{findings["ring-1.maxOverMean"]:0.00}× the mean, with 256 only {findings["ring-256.maxOverMean"]:0.00}×. " +
            $"Sharding by time put {Percent(timeHottest)} of the newest writes on one shard; a hashed id put {Percent(hashHottest)} on the busiest.");
        rows.Add(["time-ranged key (4 shards by week): newest hour's writes on the hottest shard", Percent(timeHottest), "", ""]);
        rows.Add(["hashed id (ring, 256 vnodes): newest hour's writes on the hottest shard", Percent(hashHottest), "", ""]);
        return Task.FromResult(new ExperimentResult(
            Name,
            "Sharding: mod-N vs consistent hashing",
            "How many keys move when a node joins or leaves, how evenly keys spread, and what a time-based shard key does to the newest writes.",
            [("keys", keyCount.ToString("N0", CultureInfo.InvariantCulture)), ("nodes", $"{Nodes} → {Nodes + 1} (join) → {Nodes} (node-2 leaves)"), ("hash", "FNV-1a + murmur3 finaliser (StableHash)")],
            new ResultTable(["placement", "keys moved on join", "keys moved on leave", "busiest node / mean"], rows),
            new ChartSpec("Share of keys moved", "placement", "keys moved (%)", ChartKind.Bars,
                [new ChartSeries("node joins", joins), new ChartSeries("node leaves", leaves)], strategies.Select(s => s.Label).ToList()),
            conclusion,
            findings));
    }

    private static string[] NodeNames(int count) => Enumerable.Range(0, count).Select(i => $"node-{i}").ToArray();

    private static double Moved(string[] before, string[] after) =>
        (double)before.Zip(after).Count(p => p.First != p.Second) / before.Length;

    private static double Spread(string[] placement, int nodes)
    {
        var counts = placement.GroupBy(n => n).Select(g => g.Count()).ToArray();
        return counts.Max() / ((double)placement.Length / nodes);
    }

    /// <summary>
    /// Snowflake-like ids of a month of writes over 4 weekly time-range shards vs a hashed id: the share of the
    /// newest hour's writes that land on the busiest shard.
    /// </summary>
    private static (double TimeRange, double Hashed) HottestShare(int writes)
    {
        var week = TimeSpan.FromDays(7).TotalMilliseconds;
        var month = week * 4;
        var random = new Random(42);
        var recent = Enumerable.Range(0, writes)
            .Select(_ => month - (random.NextDouble() * TimeSpan.FromHours(1).TotalMilliseconds))
            .Select((ms, i) => (Ms: ms, Id: ((long)ms << 22) | (long)i))
            .ToArray();
        var byTime = recent.GroupBy(w => Math.Min(3, (int)(w.Ms / week))).Max(g => g.Count());
        var ring = new ConsistentHashRing(NodeNames(4), 256);
        var byHash = recent.GroupBy(w => ring.NodeForHash(StableHash.Of(w.Id))).Max(g => g.Count());
        return ((double)byTime / writes, (double)byHash / writes);
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private interface IPlacement
    {
        string Key { get; }

        string Label { get; }

        string[] Place(string[] keys, string[] nodes, string[]? previous = null);
    }

    private sealed class ModN : IPlacement
    {
        public string Key => "mod-n";

        public string Label => "hash mod N";

        public string[] Place(string[] keys, string[] nodes, string[]? previous = null) =>
            keys.Select(k => nodes[(int)(StableHash.Of(k) % (ulong)nodes.Length)]).ToArray();
    }

    private sealed class Ring(int virtualNodes) : IPlacement
    {
        public string Key => $"ring-{virtualNodes}";

        public string Label => $"ring, {virtualNodes} virtual node{(virtualNodes == 1 ? "" : "s")}";

        public string[] Place(string[] keys, string[] nodes, string[]? previous = null)
        {
            var ring = new ConsistentHashRing(nodes, virtualNodes);
            return keys.Select(ring.NodeFor).ToArray();
        }
    }
}
