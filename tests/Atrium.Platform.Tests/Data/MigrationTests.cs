using Atrium.Platform.Data;
using Atrium.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Atrium.Platform.Tests.Data;

public sealed class MigrationTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Platform_and_module_migrations_are_applied_platform_first()
    {
        await using var host = await PlatformHost.StartAsync(_dir.Path);

        var scripts = await host.QueryAsync<string>("SELECT ScriptName FROM SchemaVersions ORDER BY rowid");
        Assert.Equal(
            [
                "Atrium.Platform.Data.Migrations.sqlite.0001_platform.sql",
                "Atrium.Platform.Data.Migrations.sqlite.0002_retention.sql",
                "Atrium.Platform.Tests.Data.Migrations.sqlite.0001_platform_tests.sql",
            ],
            scripts);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM tests_effects"));
    }

    [Fact]
    public async Task Running_the_migrations_again_changes_nothing()
    {
        await using (var first = await PlatformHost.StartAsync(_dir.Path))
        {
            await first.ExecuteAsync("INSERT INTO platform_id_blocks (name, next_value) VALUES ('test.kept', 42)");

            // Once more on the live database, as a second start-up would.
            var runner = new MigrationRunner(first.Database, first.Services.GetServices<MigrationSource>(), NullLogger<MigrationRunner>.Instance);
            await runner.StartingAsync(Ct);
            Assert.Equal(3L, await first.ScalarAsync<long>("SELECT COUNT(*) FROM SchemaVersions"));
        }

        await using var second = await PlatformHost.StartAsync(_dir.Path);
        Assert.Equal(3L, await second.ScalarAsync<long>("SELECT COUNT(*) FROM SchemaVersions"));
        Assert.Equal(42L, await second.ScalarAsync<long>("SELECT next_value FROM platform_id_blocks WHERE name = 'test.kept'"));
    }

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        await using var host = await PlatformHost.StartAsync(_dir.Path);

        Assert.Equal("wal", await host.ScalarAsync<string>("PRAGMA journal_mode"));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "atrium.db")));
    }

    [Fact]
    public async Task Processes_migrating_a_fresh_database_at_the_same_moment_all_succeed()
    {
        // Nodes launched together on one new database (several live processes on one database is what
        // the node-id lease is for). The race is narrow, so it is run many times, each on a fresh file;
        // the first round that fails ends the test.
        const int Rounds = 60;
        const int Processes = 3;
        for (var round = 0; round < Rounds; round++)
        {
            using var dir = new TempDir();
            var runners = Enumerable.Range(0, Processes).Select(_ => NewRunner(dir.Path)).ToArray();
            using var go = new Barrier(Processes);
            var results = await Task.WhenAll(runners.Select(runner => Task.Run(async () =>
            {
                go.SignalAndWait(Ct);
                try
                {
                    await runner.StartingAsync(Ct);
                    return null;
                }
                catch (InvalidOperationException ex)
                {
                    return ex.Message;
                }
            })));

            var failures = results.OfType<string>().ToList();
            Assert.True(failures.Count == 0, $"Round {round + 1} of {Rounds}: {string.Join(Environment.NewLine, failures)}");
        }
    }

    private static MigrationRunner NewRunner(string dataDirectory) => new(
        new SqliteDatabase(Options.Create(new DatabaseOptions { DataDirectory = dataDirectory })),
        [new MigrationSource("Platform", typeof(PlatformModule).Assembly), new MigrationSource("PlatformTests", typeof(MigrationTests).Assembly)],
        NullLogger<MigrationRunner>.Instance);
}
