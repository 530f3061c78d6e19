using System.Diagnostics;
using System.Globalization;
using System.Net;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Npgsql;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 13: the PostgreSQL primary is stopped (<c>pg_ctl stop -m fast</c>) for 60 s (full form; seconds in the short
/// form) while cached links are redirected through the gateway. Every node stays up (nothing but an operator stops a
/// node), the cached redirects keep answering, each node's <c>/health</c> says Degraded (200) during the outage and
/// Healthy after it without anyone's help, and every acknowledged redirect of the outage is counted once the primary
/// is back: lost and duplicated clicks are counted against the ledger.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class PrimaryDownTests(FaultCluster cluster)
{
    private const string Scenario = "13-primary-down";
    private const int Links = 4;
    private const int Workers = 4;
    private const string Before = "before the outage";
    private const string Down = "the primary is down";
    private const string After = "after the primary returned";

    [Fact]
    public async Task Nodes_stay_up_serve_cached_redirects_and_count_the_outages_clicks_once_the_primary_returns()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        try
        {
            using var setup = cluster.Nodes[0].CreateClient();
            var owner = await AtriumApi.SignUpAsync(setup, cancellationToken);
            var codes = new List<string>();
            for (var i = 0; i < Links; i++)
            {
                var created = await AtriumApi.CreateLinkAsync(new OperationLedger("set-up"), setup, owner, $"{Scenario}-{i}", null, cancellationToken);
                Assert.True(created.IsOk, $"creating a link answered {created.Status}");
                codes.Add(RecordedHttp.Property(created.Body, "code")!);
            }

            // Every node has every link in its cache before the outage: the redirects of the outage are cache hits.
            foreach (var node in cluster.Nodes)
            {
                using var warm = node.CreateClient();
                foreach (var code in codes)
                {
                    var answer = await AtriumApi.RedirectAsync(ledger, warm, code, cancellationToken);
                    Assert.True(answer.IsOk, $"warming {code} on {node.Name} answered {answer.Status}");
                }
            }

            using var gateway = cluster.Gateway.CreateClient(TimeSpan.FromSeconds(10));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var phases = new PhaseCounts();
            phases.Enter(Before);
            var load = Enumerable.Range(0, Workers)
                .Select(w => RedirectAsync(ledger, gateway, codes, w, phases, stop.Token))
                .ToArray();
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), cancellationToken);

            var outage = RunLength.Pick(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));
            ledger.Fault($"stop the PostgreSQL primary for {outage.TotalSeconds:0} s under redirect load");
            await cluster.Primary.StopAsync(cancellationToken);
            phases.Enter(Down);
            var degradedSeen = new HashSet<string>();
            var healthProbes = 0;
            var exited = new HashSet<string>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < outage)
            {
                foreach (var node in cluster.Nodes)
                {
                    if (!node.IsRunning)
                    {
                        exited.Add(node.Name);
                        continue;
                    }

                    if (await HealthAsync(node, cancellationToken) is (HttpStatusCode.OK, var text) && text.Contains("Degraded", StringComparison.Ordinal))
                    {
                        degradedSeen.Add(node.Name);
                    }

                    healthProbes++;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            exited.UnionWith(cluster.Nodes.Where(n => !n.IsRunning).Select(n => n.Name));
            phases.Enter(After);
            ledger.Fault("start the primary again");
            await cluster.Primary.StartAsync(cancellationToken);
            cluster.Database.Clear(); // the checker's pooled connections died with the server (57P01 on first use)
            var restartedAt = clock.Elapsed;

            // Recovery without help: every node reports Healthy again and takes writes.
            var healthy = true;
            try
            {
                await Eventually.HoldsAsync(
                    async () =>
                    {
                        foreach (var node in cluster.Nodes)
                        {
                            if (!node.IsRunning || await HealthAsync(node, cancellationToken) is not (HttpStatusCode.OK, var text)
                                || !text.Contains("Healthy", StringComparison.Ordinal))
                            {
                                return false;
                            }
                        }

                        return true;
                    },
                    "every node to report Healthy after the primary returned",
                    TimeSpan.FromSeconds(120));
            }
            catch (TimeoutException)
            {
                healthy = false;
            }

            var healedAfter = clock.Elapsed - restartedAt;
            var writeAfter = await AtriumApi.CreateLinkAsync(ledger, gateway, owner, $"{Scenario}-after", null, cancellationToken);
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            // Every acknowledged redirect is a click; unknown ones may or may not count.
            var redirects = ledger.Operations.Where(o => o.Kind == AtriumApi.LinkRedirect && codes.Contains(o.Key)).ToList();
            var acknowledged = codes.ToDictionary(c => c, c => (long)redirects.Count(o => o.Key == c && o.Outcome == Outcome.Ok));
            var unknown = codes.ToDictionary(c => c, c => (long)redirects.Count(o => o.Key == c && o.Outcome == Outcome.Unknown));
            Dictionary<string, long> applied = [];
            var counted = true;
            try
            {
                await Eventually.HoldsAsync(
                    async () =>
                    {
                        applied = await ClicksAsync(cluster.Database, codes, cancellationToken);
                        return codes.All(c => applied.GetValueOrDefault(c) >= acknowledged[c]);
                    },
                    "every acknowledged click to be counted",
                    TimeSpan.FromSeconds(120));
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a late duplicate would land now
                applied = await ClicksAsync(cluster.Database, codes, cancellationToken);
            }
            catch (TimeoutException)
            {
                counted = false;
            }

            var lost = codes.Sum(c => Math.Max(0, acknowledged[c] - applied.GetValueOrDefault(c)));
            var duplicated = codes.Sum(c => Math.Max(0, applied.GetValueOrDefault(c) - acknowledged[c] - unknown[c]));
            var outageOk = phases.Of(Down, Outcome.Ok);
            var outageTotal = outageOk + phases.Of(Down, Outcome.Failed) + phases.Of(Down, Outcome.Unknown);
            var summary = ledger.Summarize(lost, duplicated, "every node stays up through the outage, ≥ 99 % of cached redirects answer, /health says Degraded during it and Healthy after it, and every acknowledged redirect is counted once", new Dictionary<string, string>
            {
                ["outage"] = string.Create(CultureInfo.InvariantCulture, $"{outage.TotalSeconds:0} s"),
                ["redirects during the outage answered"] = $"{outageOk} of {outageTotal} ({Percent(outageOk, outageTotal)})",
                ["nodes that exited"] = exited.Count == 0 ? "none" : string.Join(", ", exited),
                ["nodes seen Degraded during the outage"] = $"{degradedSeen.Count} of {cluster.Nodes.Count} ({healthProbes} probes)",
                ["all nodes Healthy again after"] = healthy ? string.Create(CultureInfo.InvariantCulture, $"{healedAfter.TotalSeconds:0.0} s") : "not within 120 s",
                ["clicks acknowledged / unknown / counted"] = $"{acknowledged.Values.Sum()} / {unknown.Values.Sum()} / {applied.Values.Sum()}",
                ["a link created after recovery"] = writeAfter.IsOk ? "yes" : $"no ({writeAfter.Status})",
            }.Concat(phases.Describe()).ToDictionary());
            await summary.WriteAsync(cancellationToken);

            Assert.Empty(exited);
            Assert.True(outageTotal > 0, "No redirect was sent during the outage.");
            Assert.True(outageOk >= 0.99 * outageTotal, $"Only {outageOk} of {outageTotal} cached redirects answered during the outage.");
            Assert.Equal(cluster.Nodes.Count, degradedSeen.Count);
            Assert.True(healthy, "Not every node reported Healthy after the primary returned.");
            Assert.True(writeAfter.IsOk, $"Creating a link after recovery answered {writeAfter.Status}.");
            Assert.True(counted, "Not every acknowledged click was counted after the primary returned.");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
        }
        finally
        {
            await cluster.HealAsync(cancellationToken);
        }
    }

    private static async Task RedirectAsync(OperationLedger ledger, HttpClient client, List<string> codes, int worker, PhaseCounts phases, CancellationToken stop)
    {
        for (var n = worker; !stop.IsCancellationRequested; n++)
        {
            phases.Count(await AtriumApi.RedirectAsync(ledger, client, codes[n % codes.Count], CancellationToken.None));

            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static async Task<(HttpStatusCode Status, string Text)?> HealthAsync(AppProcess node, CancellationToken cancellationToken)
    {
        try
        {
            using var client = node.CreateClient(TimeSpan.FromSeconds(5));
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<Dictionary<string, long>> ClicksAsync(NpgsqlDataSource database, List<string> codes, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT code, CAST(SUM(clicks) AS BIGINT) FROM links_clicks_hourly WHERE code = ANY(@codes) GROUP BY code");
        command.Parameters.AddWithValue("codes", codes.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clicks = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            clicks[reader.GetString(0)] = reader.GetInt64(1);
        }

        return clicks;
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.00} %");
}
