using System.Net;
using Atrium.Server.Tests.Support;
using Atrium.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The database goes away for longer than the click flusher's old five attempts (issue 13): the host keeps running,
/// cached redirects keep answering, the outage's clicks wait in the bounded buffer and are counted exactly once when the
/// database is back. Distributed: the PostgreSQL primary is stopped. Embedded: another connection holds SQLite's write
/// lock, so every write of the app fails with SQLITE_BUSY.
/// </summary>
public sealed class ClickOutageTests
{
    private static readonly TimeSpan ClickEvery = TimeSpan.FromMilliseconds(100);

    [Fact(
        Skip = "Needs PostgreSQL: runs in the distributed shape (ATRIUM_TEST_SHAPE=distributed).",
        SkipUnless = nameof(TestShape.Distributed),
        SkipType = typeof(TestShape))]
    public async Task The_host_outlives_a_primary_outage_and_counts_its_clicks_once_the_primary_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await OwnPostgres.StartAsync(ct);
        // Stats are read from the replica, which may serve a read up to MaxReplicaLag + two check intervals behind the
        // primary (DESIGN.md §3): a short bound keeps AssertStaysAsync's wait short.
        var settings = postgres.Settings(TimeSpan.FromSeconds(1));
        settings["Atrium:Database:MaxReplicaLag"] = "00:00:01";
        settings["Atrium:Database:ReplicaCheckInterval"] = "00:00:00.5";
        await using var app = new AtriumApp(settings);
        try
        {
            await RunOutageAsync(
                app,
                async () => await postgres.Primary.StopAsync(ct),
                async () => await postgres.Primary.StartAsync(ct),
                TimeSpan.FromSeconds(10),
                ct);
        }
        finally
        {
            TestData.TryDelete(app.DataDirectory);
        }
    }

    [Fact(
        Skip = "The embedded shape's fault: runs without ATRIUM_TEST_SHAPE=distributed.",
        SkipUnless = nameof(TestShape.Embedded),
        SkipType = typeof(TestShape))]
    public async Task The_host_outlives_a_locked_database_and_counts_its_clicks_once_it_is_free()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new AtriumApp(new Dictionary<string, string?> { ["Atrium:Database:CommandTimeoutSeconds"] = "1" });
        SqliteConnection? holder = null;
        try
        {
            await RunOutageAsync(
                app,
                async () =>
                {
                    holder = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "atrium.db")};Pooling=False");
                    await holder.OpenAsync(ct);
                    await using var begin = holder.CreateCommand();
                    begin.CommandText = "BEGIN IMMEDIATE;"; // holds the write lock until rolled back
                    await begin.ExecuteNonQueryAsync(ct);
                },
                async () =>
                {
                    await holder!.DisposeAsync(); // rolls back and frees the lock
                    holder = null;
                },
                TimeSpan.FromSeconds(14),
                ct);
        }
        finally
        {
            if (holder is not null)
            {
                await holder.DisposeAsync();
            }

            TestData.TryDelete(app.DataDirectory);
        }
    }

    [Fact]
    public async Task A_batch_whose_commit_looked_failed_is_counted_once()
    {
        // The first click batch commits and then fails as if the connection broke before the client heard the commit.
        await using var app = new AtriumApp(new Dictionary<string, string?> { ["Atrium:FailPoints"] = "clicks.after-commit@1" });
        try
        {
            using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
            using var owner = app.CreateClient(new() { AllowAutoRedirect = false })
                .WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, TestContext.Current.CancellationToken));
            var link = await owner.CreateLinkAsync(TestData.Url());
            const int clicks = 5;
            for (var i = 0; i < clicks; i++)
            {
                using var response = await anonymous.GetPathAsync($"/{link.Code}");
                Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            }

            await Eventually.ReachesAsync(() => owner.GetStatsAsync(link.Code), s => s.Total >= clicks, $"{clicks} clicks to be counted");
            await AssertStaysAsync(owner, link.Code, clicks);
            Assert.False(Stopping(app), "The host began to stop.");
        }
        finally
        {
            TestData.TryDelete(app.DataDirectory);
        }
    }

    [Fact]
    public async Task Clicks_past_the_buffer_bound_are_dropped_and_counted_on_metrics()
    {
        // A buffer of 2 that is flushed only every minute: the third click and later ones find it full.
        await using var app = new AtriumApp(new Dictionary<string, string?>
        {
            ["Links:ClickBufferCapacity"] = "2",
            ["Links:ClickFlushInterval"] = "00:01:00",
        });
        try
        {
            using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
            using var owner = app.CreateClient(new() { AllowAutoRedirect = false })
                .WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, TestContext.Current.CancellationToken));
            var link = await owner.CreateLinkAsync(TestData.Url());
            for (var i = 0; i < 6; i++)
            {
                using var response = await anonymous.GetPathAsync($"/{link.Code}");
                Assert.Equal(HttpStatusCode.Found, response.StatusCode); // a full buffer never fails the redirect
            }

            await Eventually.HoldsAsync(
                async () =>
                {
                    using var metrics = await anonymous.GetPathAsync("/metrics");
                    var text = await metrics.TextAsync();
                    return text.Split('\n').Any(line => line.StartsWith("atrium_links_clicks_dropped_total{", StringComparison.Ordinal)
                        && line.Contains("reason=\"buffer_full\"", StringComparison.Ordinal));
                },
                "the dropped clicks to show on /metrics");
        }
        finally
        {
            TestData.TryDelete(app.DataDirectory);
        }
    }

    private static async Task RunOutageAsync(AtriumApp app, Func<Task> breakDatabase, Func<Task> repairDatabase, TimeSpan outage, CancellationToken ct)
    {
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        using var owner = app.CreateClient(new() { AllowAutoRedirect = false }).WithApiKey(await TestUsers.ApiKeyOfNewUserAsync(anonymous, ct));
        var link = await owner.CreateLinkAsync(TestData.Url());
        var sent = 0;
        using (var first = await anonymous.GetPathAsync($"/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.Found, first.StatusCode); // now cached
            sent++;
        }

        await Eventually.ReachesAsync(() => owner.GetStatsAsync(link.Code), s => s.Total == 1, "the first click to be counted");

        await breakDatabase();
        var redirectsDuringOutage = 0;
        var until = DateTime.UtcNow + outage; // the outage's length, not an assertion on time
        while (DateTime.UtcNow < until)
        {
            using var response = await anonymous.GetPathAsync($"/{link.Code}");
            if (response.StatusCode == HttpStatusCode.Found)
            {
                redirectsDuringOutage++;
            }

            sent++;
            await Task.Delay(ClickEvery, ct);
        }

        Assert.False(Stopping(app), "The host began to stop during the database outage.");
        using (var health = await anonymous.GetPathAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("Degraded", await health.TextAsync(), StringComparison.Ordinal);
        }

        await repairDatabase();
        await Eventually.ReachesAsync(
            () => owner.GetStatsAsync(link.Code), s => s.Total >= sent, $"the {sent} clicks to be counted", TimeSpan.FromSeconds(60));
        await AssertStaysAsync(owner, link.Code, sent);
        Assert.Equal(sent - 1, redirectsDuringOutage);
        Assert.False(Stopping(app), "The host began to stop after the database outage.");
        await Eventually.HoldsAsync(
            async () =>
            {
                using var health = await anonymous.GetPathAsync("/health");
                return health.StatusCode == HttpStatusCode.OK && (await health.TextAsync()).Contains("Healthy", StringComparison.Ordinal);
            },
            "the node to report Healthy again",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// The count shows <paramref name="expected"/>, and still does once a few more flush intervals and the replica's
    /// staleness bound (2 s with the distributed test's settings) have passed: a read then reflects every commit made
    /// before the wait, so a click counted twice would show. Before that, a replica rejoining after the outage may
    /// still answer with an older count (seen here: 87, then 1 from the replica).
    /// </summary>
    private static async Task AssertStaysAsync(HttpClient owner, string code, int expected)
    {
        await Eventually.ReachesAsync(() => owner.GetStatsAsync(code), s => s.Total == expected, $"the count to show {expected}");
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        Assert.Equal(expected, (await owner.GetStatsAsync(code)).Total);
    }

    private static bool Stopping(AtriumApp app) =>
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
}
