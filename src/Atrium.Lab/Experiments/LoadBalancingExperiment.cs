using System.Globalization;
using Atrium.Lab.Load;
using Atrium.Lab.Reports;
using Atrium.Lab.Systems;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>loadbalancing</c>: the real Atrium.Gateway (YARP) in front of three backend nodes, one of them 5× slower
/// (five times the service time on the same number of workers: a fifth of the capacity), under the same open-loop
/// load with each policy: round robin, least requests, power of two choices. Measured: the clients' p50/p99 through
/// the gateway and the requests each node received.
/// </summary>
internal sealed class LoadBalancingExperiment : IExperiment
{
    private const int Workers = 4;
    private const int SlowIndex = 1;
    private static readonly TimeSpan FastService = TimeSpan.FromMilliseconds(10);

    private static readonly (string Key, string Label, string Policy)[] Policies =
    [
        ("round-robin", "round robin", "RoundRobin"),
        ("least-requests", "least requests", "LeastRequests"),
        ("p2c", "power of two choices", "PowerOfTwoChoices"),
    ];

    public string Name => "loadbalancing";

    public string Summary => "round robin vs least requests vs power of two choices behind Atrium.Gateway, one node 5× slower: p99 and requests per node";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var rate = 300.0; // fast nodes serve 400/s each, the slow one 80/s: a third of 300/s overloads it
        var duration = context.Pick(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(4));
        var slowService = FastService * 5;
        var setup = context.Progress.Step("starting 3 nodes and 3 gateways", 1);
        var nodes = new List<LatencyNode>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await LatencyNode.StartAsync(Workers, i == SlowIndex ? slowService : FastService, cancellationToken));
        }

        var gateways = await Task.WhenAll(Policies.Select(p => AtriumServers.StartGatewayAsync(nodes.Select(n => n.Address).ToList(), p.Policy, cancellationToken)));
        setup.Complete();
        var findings = new Dictionary<string, double>();
        var rows = new List<IReadOnlyList<string>>();
        var perNode = nodes.Select(_ => new List<double>()).ToList();
        try
        {
            for (var p = 0; p < Policies.Length; p++)
            {
                var (key, label, _) = Policies[p];
                using var http = LinkClient.Create(gateways[p].Address, 1024);
                await RunLoadAsync(http, rate, TimeSpan.FromSeconds(1), null, cancellationToken); // warm-up: JIT, connections
                await DrainAsync(nodes, cancellationToken);
                nodes.ForEach(n => n.ResetCount());
                var step = context.Progress.Step($"{label}: {rate:0} requests/s", rate * duration.TotalSeconds);
                var load = await RunLoadAsync(http, rate, duration, step, cancellationToken);
                step.Complete();
                await DrainAsync(nodes, cancellationToken);
                var counts = nodes.Select(n => (double)n.Requests).ToList();
                var total = counts.Sum();
                var slowShare = total == 0 ? 0 : counts[SlowIndex] / total;
                findings[$"{key}.p50"] = load.P50;
                findings[$"{key}.p99"] = load.P99;
                findings[$"{key}.ok"] = load.Ok;
                findings[$"{key}.slowShare"] = slowShare;
                for (var n = 0; n < nodes.Count; n++)
                {
                    findings[$"{key}.node{n + 1}"] = counts[n];
                    perNode[n].Add(counts[n]);
                }

                rows.Add([
                    label,
                    Ms(load.P50),
                    Ms(load.P99),
                    string.Join(" / ", counts.Select(c => c.ToString("0", CultureInfo.InvariantCulture))),
                    (slowShare * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
                    load.ErrorSummary,
                ]);
            }
        }
        finally
        {
            await Task.WhenAll(gateways.Select(g => g.DisposeAsync().AsTask()));
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        var best = Policies.MinBy(p => findings[$"{p.Key}.p99"]);
        var slowCapacityShare = (1 / slowService.TotalSeconds) / ((2 / FastService.TotalSeconds) + (1 / slowService.TotalSeconds));
        findings["slowCapacityShare"] = slowCapacityShare;
        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"Round robin sent the slow node {findings["round-robin.slowShare"] * 100:0.0} % of the requests though it has {slowCapacityShare * 100:0.0} % of the capacity, " +
            $"and p99 was {findings["round-robin.p99"]:0} ms; least requests sent it {findings["least-requests.slowShare"] * 100:0.0} % (p99 {findings["least-requests.p99"]:0} ms) " +
            $"and power of two choices {findings["p2c.slowShare"] * 100:0.0} % (p99 {findings["p2c.p99"]:0} ms). Lowest p99: {best.Label}, " +
            $"{findings["round-robin.p99"] / Math.Max(0.001, findings[$"{best.Key}.p99"]):0.0}× below round robin.");
        return new ExperimentResult(
            Name,
            "Load balancing with a slow node",
            "Which policy keeps p99 low when one of three nodes is five times slower?",
            [
                ("load", $"{rate:0} requests/s, open loop, {duration.TotalSeconds:0} s per policy (after 1 s of warm-up)"),
                ("nodes", $"3 Kestrel nodes with {Workers} workers each: {FastService.TotalMilliseconds:0} ms per request (400/s), node {SlowIndex + 1} {slowService.TotalMilliseconds:0} ms (80/s)"),
                ("gateway", "Atrium.Gateway (YARP) as its own process, one per policy (Gateway:LoadBalancing)"),
                .. (context.Target is null ? Array.Empty<(string, string)>() : [("--target", "not used: this experiment starts its own nodes and gateways")]),
            ],
            new ResultTable(["policy", "p50", "p99", "requests per node (1 / 2 slow / 3)", "slow node's share", "errors"], rows),
            new ChartSpec("Requests per node", "policy", "requests", ChartKind.Bars,
                perNode.Select((counts, n) => new ChartSeries(n == SlowIndex ? $"node {n + 1} (5× slower)" : $"node {n + 1}", counts)).ToList(),
                Policies.Select(p => p.Label).ToList()),
            conclusion,
            findings);
    }

    private static Task<LoadResult> RunLoadAsync(HttpClient http, double rate, TimeSpan duration, IProgressStep? step, CancellationToken cancellationToken) =>
        OpenLoopLoad.RunAsync(
            async (_, ct) =>
            {
                using var response = await http.GetAsync(new Uri("/work", UriKind.Relative), ct);
                return response.IsSuccessStatusCode ? null : $"http {(int)response.StatusCode}";
            },
            rate, duration, cancellationToken, onSent: step is null ? null : () => step.Advance());

    /// <summary>Waits until no node has a request in it (the previous policy's queue must not slow the next).</summary>
    private static Task DrainAsync(List<LatencyNode> nodes, CancellationToken cancellationToken) =>
        Wait.UntilAsync(ct => Task.FromResult(nodes.All(n => n.InFlight == 0)), TimeSpan.FromSeconds(120), () => "the nodes did not drain.", cancellationToken);

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
