using System.Data.Common;
using System.Security.Claims;
using Atrium.Platform.Data;
using Atrium.Platform.Web;
using Atrium.Testing.Servers;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Platform.Tests.Data;

/// <summary>PostgreSQL with a streaming replica: read routing, read-your-writes pins, replica fallback, migrations.</summary>
public sealed class PostgresDatabaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_go_to_the_replica_and_a_users_reads_go_to_the_primary_after_they_write()
    {
        var name = await NewDatabaseAsync();
        var http = new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = SignedIn(42) } };
        await using var database = NewDatabase(name, [postgres.Replica.ConnectionStringFor(name)], http: http);

        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
        Assert.False(await InRecoveryAsync(await database.OpenPrimaryAsync(Ct))); // a write: pins user 42
        Assert.False(await InRecoveryAsync(await database.OpenReadAsync(Ct)));

        http.HttpContext = new DefaultHttpContext { User = SignedIn(43) }; // someone else
        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
    }

    [Fact]
    public async Task A_replica_that_does_not_answer_is_skipped_and_reads_go_to_the_primary()
    {
        var name = await NewDatabaseAsync();
        var down = $"Host=127.0.0.1;Port={Atrium.Testing.FreePort.Next()};Username=postgres;Database={name};Timeout=2";
        await using var database = NewDatabase(name, [down, postgres.Replica.ConnectionStringFor(name)]);

        // Round robin over [down, up]: whichever comes first, no read fails, and the one that fails is marked down.
        for (var i = 0; i < 6; i++)
        {
            await using var connection = await database.OpenReadAsync(Ct);
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: Ct)));
        }

        await using var only = NewDatabase(name, [down]);
        Assert.False(await InRecoveryAsync(await only.OpenReadAsync(Ct)));
    }

    [Fact]
    public async Task Write_pins_outlast_the_window_plus_the_lag_a_replica_in_rotation_may_have_and_no_longer()
    {
        var time = new FakeTimeProvider();
        var options = new DatabaseOptions
        {
            ReadYourWritesWindow = TimeSpan.FromSeconds(5),
            MaxReplicaLag = TimeSpan.FromSeconds(10),
            ReplicaCheckInterval = TimeSpan.FromSeconds(2),
        };
        var pins = new LocalWritePins(Options.Create(options), time);

        Assert.False(await pins.IsPinnedAsync(7, Ct));
        await pins.PinAsync(7, Ct);
        time.Advance(TimeSpan.FromSeconds(18.9)); // 5 s to commit + 10 s of lag + two probes
        Assert.True(await pins.IsPinnedAsync(7, Ct));
        Assert.False(await pins.IsPinnedAsync(8, Ct));
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(await pins.IsPinnedAsync(7, Ct));
    }

    [Fact]
    public async Task Nodes_starting_together_apply_each_migration_once_on_the_primary()
    {
        var name = await NewDatabaseAsync();
        MigrationSource[] sources = [new("Platform", typeof(PlatformModule).Assembly), new("PlatformTests", typeof(PostgresDatabaseTests).Assembly)];
        var databases = Enumerable.Range(0, 4).Select(_ => NewDatabase(name, [postgres.Replica.ConnectionStringFor(name)])).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d =>
                new MigrationRunner(d, sources, NullLogger<MigrationRunner>.Instance).StartingAsync(Ct)));

            var scripts = await postgres.Primary.QueryAsync("SELECT scriptname FROM schemaversions ORDER BY schemaversionsid", name, Ct);
            Assert.Equal(
                string.Join('\n',
                    "Atrium.Platform.Data.Migrations.postgres.0001_platform.sql",
                    "Atrium.Platform.Data.Migrations.postgres.0002_retention.sql",
                    "Atrium.Platform.Tests.Data.Migrations.postgres.0001_platform_tests.sql"),
                scripts);
            Assert.Equal("0", await postgres.Primary.QueryAsync("SELECT count(*) FROM platform_outbox", name, Ct));
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    private async Task<string> NewDatabaseAsync()
    {
        var name = $"pgdb_{Guid.NewGuid():N}";
        await postgres.Primary.CreateDatabaseAsync(name, Ct);
        await postgres.Replica.WaitForReplayAsync(cancellationToken: Ct);
        return name;
    }

    private PostgresDatabase NewDatabase(string name, IReadOnlyList<string> replicas, IHttpContextAccessor? http = null) => new(
        postgres.Primary.ConnectionStringFor(name),
        replicas,
        Options.Create(new DatabaseOptions()),
        new LocalWritePins(Options.Create(new DatabaseOptions()), TimeProvider.System),
        http ?? new HttpContextAccessor(),
        TimeProvider.System,
        NullLogger<PostgresDatabase>.Instance);

    private static ClaimsPrincipal SignedIn(long userId) =>
        new(new ClaimsIdentity([new Claim(CurrentUser.IdClaim, userId.ToString(System.Globalization.CultureInfo.InvariantCulture))], "test"));

    private static async Task<bool> InRecoveryAsync(DbConnection connection)
    {
        await using (connection)
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_is_in_recovery()", cancellationToken: Ct));
        }
    }
}
