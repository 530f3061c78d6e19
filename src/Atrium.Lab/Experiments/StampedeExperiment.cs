using System.Diagnostics;
using System.Globalization;
using Atrium.Lab.Reports;
using Atrium.Lab.Stampede;
using Atrium.Lab.Systems;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>stampede</c>: a hot link's cache entry expires while 500 readers want it at once. Three ways to read it, all
/// over Atrium's own <c>LinkStore</c> on a real PostgreSQL: plain cache-aside (no single flight), Atrium's
/// <c>LinkCache</c> (HybridCache: single flight) and stale-while-revalidate (serve the stale value, refresh once in
/// the background). For each expiry the 500 readers are released together; measured: the database reads it cost,
/// counted where they run (<c>pg_stat_statements</c> on the server), and how long the readers waited.
/// </summary>
internal sealed class StampedeExperiment : IExperiment
{
    private const string HotCode = "hot-link";
    private const string LinkQuery = "FROM links_links WHERE code";

    public string Name => "stampede";

    public string Summary => "a hot key expires under 500 concurrent readers: database reads without single flight, with it, with stale-while-revalidate";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var readers = 500;
        var expiries = context.Pick(20, 4);
        var lifetime = TimeSpan.FromMinutes(10); // never runs out by itself: each expiry is made to happen at a known instant
        var setup = context.Progress.Step("starting PostgreSQL and Atrium's read path", 1);
        await using var postgres = await PostgresInstance.StartPrimaryAsync(cancellationToken);
        var database = await postgres.CreateDatabaseAsync(cancellationToken);
        await using var host = await LinkReadHost.StartAsync(postgres.ConnectionStringFor(database), lifetime, cancellationToken);
        await postgres.ExecuteAsync(database,
            $"INSERT INTO links_links (code, id, url, permanent, created_at) VALUES ('{HotCode}', 1, 'https://example.com/hot', 0, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})",
            cancellationToken);
        setup.Complete();

        var swr = new StaleWhileRevalidateStrategy(host.Store, lifetime, TimeProvider.System);
        IReadStrategy[] strategies = [new CacheAsideStrategy(host.Store, lifetime), new SingleFlightStrategy(host.Cache), swr];
        var findings = new Dictionary<string, double>();
        var rows = new List<IReadOnlyList<string>>();
        var perExpiry = new List<double>();
        foreach (var strategy in strategies)
        {
            await using var _ = strategy;
            var step = context.Progress.Step($"{strategy.Label}: {expiries} expiries × {readers} readers", expiries);
            if (await strategy.GetAsync(HotCode, cancellationToken) is null)
            {
                throw new InvalidOperationException("The hot link was not found: the read path does not see the database it was given.");
            }

            var reads = new List<double>();
            var waits = new List<double>();
            long wrong = 0;
            for (var e = 0; e < expiries; e++)
            {
                await strategy.WhenIdleAsync();
                await strategy.ExpireAsync(HotCode, cancellationToken);
                var before = await postgres.CallsAsync(database, LinkQuery, cancellationToken);
                var (roundWaits, roundWrong) = await ReleaseReadersAsync(strategy, readers, cancellationToken);
                await strategy.WhenIdleAsync();
                reads.Add(await postgres.CallsAsync(database, LinkQuery, cancellationToken) - before);
                waits.AddRange(roundWaits);
                wrong += roundWrong;
                step.Advance();
            }

            step.Complete();
            waits.Sort();
            var key = strategy.Key;
            findings[$"{key}.readsPerExpiry"] = reads.Average();
            findings[$"{key}.maxReadsPerExpiry"] = reads.Max();
            findings[$"{key}.minReadsPerExpiry"] = reads.Min();
            findings[$"{key}.p50"] = Percentile(waits, 0.50);
            findings[$"{key}.p99"] = Percentile(waits, 0.99);
            findings[$"{key}.wrongAnswers"] = wrong;
            perExpiry.Add(reads.Average());
            rows.Add([
                strategy.Label,
                reads.Average().ToString("0.0", CultureInfo.InvariantCulture),
                $"{reads.Min():0} – {reads.Max():0}",
                Ms(Percentile(waits, 0.50)),
                Ms(Percentile(waits, 0.99)),
            ]);
        }

        findings["swr.servedStale"] = swr.ServedStale;
        var naive = findings["cache-aside.readsPerExpiry"];
        var conclusion = string.Create(CultureInfo.InvariantCulture,
            $"When the hot link expired under {readers} concurrent readers, cache-aside without single flight read the database " +
            $"{naive:0.0} times per expiry on average (from {findings["cache-aside.minReadsPerExpiry"]:0} to {findings["cache-aside.maxReadsPerExpiry"]:0}); " +
            $"Atrium's LinkCache (HybridCache single flight) read it {findings["single-flight.readsPerExpiry"]:0.##} time(s) per expiry, " +
            $"{naive / Math.Max(1, findings["single-flight.readsPerExpiry"]):0}× fewer, but its readers waited for that read " +
            $"(p99 {findings["single-flight.p99"]:0.00} ms); stale-while-revalidate also read it {findings["swr.readsPerExpiry"]:0.##} time(s) per expiry and nobody waited " +
            $"(p99 {findings["swr.p99"]:0.00} ms; {findings["swr.servedStale"]:0} answers were the stale value). Without single flight the readers' p99 was {findings["cache-aside.p99"]:0.00} ms.");
        return new ExperimentResult(
            Name,
            "Stampede: a hot key expires under 500 readers",
            "How many database reads does one expiry of a hot key cost, and how long do its readers wait?",
            [
                ("readers", $"{readers}, released together right after the expiry"),
                ("expiries", $"{expiries} per strategy"),
                ("read path", "Atrium's LinkStore.FindOnPrimaryAsync (Npgsql pool of 30) on PostgreSQL 15, in this process"),
                ("database reads", "pg_stat_statements calls of the link lookup, on the server"),
                ("expiry", "cache-aside: the entry removed; single flight: LinkCache.InvalidateAsync; stale-while-revalidate: the entry marked stale"),
                .. (context.Target is null ? Array.Empty<(string, string)>() : [("--target", "not used: this experiment runs Atrium's read path in this process, on its own PostgreSQL")]),
            ],
            new ResultTable(["strategy", "database reads per expiry", "range", "reader wait p50", "reader wait p99"], rows),
            new ChartSpec("Database reads per expiry (500 readers)", "strategy", "reads", ChartKind.Bars,
                [new ChartSeries("reads per expiry", perExpiry)], strategies.Select(s => s.Label).ToList()),
            conclusion,
            findings);
    }

    /// <summary>Starts <paramref name="readers"/> readers, waits until all of them are waiting, releases them together.</summary>
    private static async Task<(List<double> Waits, long Wrong)> ReleaseReadersAsync(IReadStrategy strategy, int readers, CancellationToken cancellationToken)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = 0;
        long wrong = 0;
        var clock = new Stopwatch();
        var waits = new double[readers];
        var tasks = Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            Interlocked.Increment(ref ready);
            await gate.Task;
            var target = await strategy.GetAsync(HotCode, cancellationToken);
            waits[r] = clock.Elapsed.TotalMilliseconds;
            if (target?.Url != "https://example.com/hot")
            {
                Interlocked.Increment(ref wrong);
            }
        }, cancellationToken)).ToList();
        while (Volatile.Read(ref ready) < readers)
        {
            await Task.Delay(1, cancellationToken);
        }

        clock.Start();
        gate.SetResult();
        await Task.WhenAll(tasks);
        return ([.. waits], wrong);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
