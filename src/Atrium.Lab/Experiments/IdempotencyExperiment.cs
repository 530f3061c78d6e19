using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Atrium.Lab.Reports;
using Atrium.Platform;
using Atrium.Platform.Data;
using Atrium.Platform.Messaging;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Lab.Experiments;

/// <summary>
/// <c>idempotency</c>: a queue delivers at least once, so some events arrive twice. The same deliveries — every
/// event once, 10 % of them twice, in shuffled order, by 4 concurrent workers — are applied to a consumer whose
/// effect is a credit row: once straight (effects in a transaction, no inbox) and once through Atrium's own
/// <see cref="ConsumerRunner"/> (the inbox row and the effects in one transaction). Counted: effects per event,
/// i.e. double credits, and the cost of the inbox in deliveries per second. Runs on a fresh Atrium database
/// (embedded SQLite) with the Platform's own migrations.
/// </summary>
internal sealed class IdempotencyExperiment : IExperiment
{
    private const double DuplicateShare = 0.10;
    private const int Workers = 4;

    public string Name => "idempotency";

    public string Summary => "10 % of events delivered twice: double effects with and without the inbox";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        var events = context.Pick(5_000, 500);
        var directory = Directory.CreateTempSubdirectory("atrium-lab-idempotency");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration["Atrium:DataDirectory"] = directory.FullName;
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(TimeProvider.System);
            builder.AddAtriumDatabase();
            builder.Services.AddMigrations("Platform", typeof(PlatformModule).Assembly);
            builder.Services.AddSingleton<FailPoints>(); // none armed: the runner's crash points stay off
            builder.Services.AddSingleton<ConsumerRunner>();
            using var host = builder.Build();
            await host.StartAsync(cancellationToken); // runs the migrations
            var database = host.Services.GetRequiredService<IDatabase>();
            await using (var connection = await database.OpenPrimaryAsync(cancellationToken))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "CREATE TABLE lab_credits (id INTEGER PRIMARY KEY, mode TEXT NOT NULL, event_id INTEGER NOT NULL)", cancellationToken: cancellationToken));
            }

            var deliveries = Deliveries(events);
            var runner = host.Services.GetRequiredService<ConsumerRunner>();
            var rows = new List<IReadOnlyList<string>>();
            var findings = new Dictionary<string, double>();
            foreach (var (mode, label) in new[] { ("none", "no inbox"), ("inbox", "inbox (ConsumerRunner)") })
            {
                var step = context.Progress.Step(label, deliveries.Count);
                var consumer = new ConsumerRegistration($"lab.credits-{mode}", "lab.credit", (_, envelope, ctx, ct) => CreditAsync(ctx.Connection, ctx.Transaction, mode, envelope.Id, ct));
                var clock = Stopwatch.StartNew();
                await Parallel.ForEachAsync(
                    deliveries,
                    new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken },
                    async (eventId, ct) =>
                    {
                        await using var connection = await database.OpenPrimaryAsync(ct);
                        if (mode == "inbox")
                        {
                            await runner.ApplyAsync(consumer, new EventEnvelope(eventId, "lab.credit", "{}", DateTimeOffset.UtcNow), connection, null, ct);
                        }
                        else
                        {
                            await using var transaction = await connection.BeginTransactionAsync(ct);
                            await CreditAsync(connection, transaction, mode, eventId, ct);
                            await transaction.CommitAsync(ct);
                        }

                        step.Advance();
                    });
                var elapsed = clock.Elapsed;
                step.Complete();
                await using var read = await database.OpenPrimaryAsync(cancellationToken);
                var credits = await read.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM lab_credits WHERE mode = @mode", new { mode }, cancellationToken: cancellationToken));
                var doubled = credits - events;
                var rate = deliveries.Count / elapsed.TotalSeconds;
                findings[$"{mode}.doubleEffects"] = doubled;
                findings[$"{mode}.deliveriesPerSecond"] = rate;
                rows.Add([
                    label,
                    deliveries.Count.ToString("N0", CultureInfo.InvariantCulture),
                    credits.ToString("N0", CultureInfo.InvariantCulture),
                    doubled.ToString("N0", CultureInfo.InvariantCulture),
                    rate.ToString("N0", CultureInfo.InvariantCulture),
                ]);
            }

            await host.StopAsync(cancellationToken);
            var duplicates = deliveries.Count - events;
            var conclusion = string.Create(CultureInfo.InvariantCulture,
                $"Of {events:N0} events, {duplicates:N0} were delivered twice. Without the inbox every one of them credited twice " +
                $"({findings["none.doubleEffects"]:N0} double effects); through the inbox {findings["inbox.doubleEffects"]:N0}. ") +
                Cost(findings["inbox.deliveriesPerSecond"], findings["none.deliveriesPerSecond"]);
            return new ExperimentResult(
                Name,
                "Duplicate delivery with and without the inbox",
                "A queue that delivers at least once will deliver some events twice. What does that do to effects, and what does the inbox cost?",
                [
                    ("events", events.ToString("N0", CultureInfo.InvariantCulture)),
                    ("duplicates", $"{DuplicateShare:P0} of events delivered twice, order shuffled (seed 7)"),
                    ("workers", Workers.ToString(CultureInfo.InvariantCulture)),
                    ("database", "embedded SQLite (WAL, synchronous FULL), Platform migrations"),
                ],
                new ResultTable(["consumer", "deliveries", "credits written", "double effects", "deliveries/s"], rows),
                new ChartSpec("Double effects", "consumer", "events credited twice", ChartKind.Bars,
                    [new ChartSeries("double effects", [findings["none.doubleEffects"], findings["inbox.doubleEffects"]])], ["no inbox", "inbox"]),
                conclusion,
                findings);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>What the inbox's extra insert cost, or that it was lost in this machine's noise.</summary>
    private static string Cost(double withInbox, double without)
    {
        var cost = 1 - (withInbox / without);
        return cost >= 0.05
            ? string.Create(CultureInfo.InvariantCulture, $"The inbox cost {cost * 100:0}% of the delivery rate ({withInbox:N0} vs {without:N0} per second): one more insert in the same transaction.")
            : string.Create(CultureInfo.InvariantCulture, $"The inbox's one extra insert per transaction cost nothing measurable here ({withInbox:N0} vs {without:N0} deliveries per second; commits dominate).");
    }

    /// <summary>Every event id once, a tenth of them a second time, shuffled so a duplicate can come before or after the first copy.</summary>
    private static List<long> Deliveries(int events)
    {
        var random = new Random(7);
        var ids = Enumerable.Range(1, events).Select(i => (long)i).ToList();
        ids.AddRange(ids.Where(_ => random.NextDouble() < DuplicateShare).ToList());
        return ids.OrderBy(_ => random.Next()).ToList();
    }

    private static Task<int> CreditAsync(DbConnection connection, DbTransaction transaction, string mode, long eventId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO lab_credits (mode, event_id) VALUES (@mode, @eventId)", new { mode, eventId }, transaction, cancellationToken: cancellationToken));
}
