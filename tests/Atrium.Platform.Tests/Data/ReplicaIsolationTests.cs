using System.Data.Common;
using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Atrium.Platform.Resilience;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Atrium.Platform.Tests.Resilience;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Xunit;

namespace Atrium.Platform.Tests.Data;

/// <summary>
/// Replica breakers (docs/resilience.md, Replicas): a replica that does not answer its probe, or replays too far
/// behind, is isolated and its reads go to the primary; once it answers and has caught up it is back in rotation.
/// </summary>
public sealed class ReplicaIsolationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceSupervisor Supervisor() =>
        new(new ServiceStates(new TestMeterFactory()), TimeProvider.System, NullLogger<ServiceSupervisor>.Instance);

    [Fact]
    public async Task A_replica_that_does_not_answer_is_isolated_and_reads_go_to_the_primary()
    {
        var name = await NewDatabaseAsync();
        var down = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database={name};Timeout=2";
        var metrics = new ResilienceMetrics(new TestMeterFactory());
        await using var database = NewDatabase(name, [down], new DatabaseOptions(), metrics);
        var monitor = new ReplicaLagMonitor(database, Options.Create(new DatabaseOptions()), Supervisor(), NullLogger<ReplicaLagMonitor>.Instance);

        await monitor.CheckAsync(database.Replicas[0], Ct);

        Assert.Equal(CircuitState.Isolated, metrics.StateOf(Dependency.Replica, "0"));
        Assert.False(await InRecoveryAsync(await database.OpenReadAsync(Ct))); // the primary, without trying the dead replica
    }

    [Fact]
    public async Task A_replica_far_behind_is_isolated_until_it_has_caught_up()
    {
        var name = await NewDatabaseAsync();
        var options = new DatabaseOptions { MaxReplicaLag = TimeSpan.FromMilliseconds(100) };
        var metrics = new ResilienceMetrics(new TestMeterFactory());
        await using var database = NewDatabase(name, [postgres.Replica.ConnectionStringFor(name)], options, metrics);
        var monitor = new ReplicaLagMonitor(database, Options.Create(options), Supervisor(), NullLogger<ReplicaLagMonitor>.Instance);
        var replica = database.Replicas[0];
        await monitor.CheckAsync(replica, Ct);
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.Replica, "0"));
        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));

        await postgres.Replica.PauseReplayAsync(Ct);
        try
        {
            await postgres.Primary.QueryAsync("CREATE TABLE lag_probe (id bigint); INSERT INTO lag_probe VALUES (1)", name, Ct); // WAL it cannot replay
            await Eventually.ReachesAsync(
                async () =>
                {
                    await monitor.CheckAsync(replica, Ct);
                    return metrics.StateOf(Dependency.Replica, "0");
                },
                state => state == CircuitState.Isolated,
                "the paused replica to fall more than 100 ms behind and be isolated");
            Assert.False(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
        }
        finally
        {
            await postgres.Replica.ResumeReplayAsync(Ct);
        }

        await Eventually.ReachesAsync(
            async () =>
            {
                await monitor.CheckAsync(replica, Ct);
                return metrics.StateOf(Dependency.Replica, "0");
            },
            state => state == CircuitState.Closed,
            "the replica to catch up and come back");
        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
    }

    private async Task<string> NewDatabaseAsync()
    {
        var name = $"pgdb_{Guid.NewGuid():N}";
        await postgres.Primary.CreateDatabaseAsync(name, Ct);
        await postgres.Replica.WaitForReplayAsync(cancellationToken: Ct);
        return name;
    }

    private PostgresDatabase NewDatabase(string name, IReadOnlyList<string> replicas, DatabaseOptions options, ResilienceMetrics metrics) => new(
        postgres.Primary.ConnectionStringFor(name),
        replicas,
        Options.Create(options),
        new LocalWritePins(Options.Create(options), TimeProvider.System),
        new HttpContextAccessor(),
        TimeProvider.System,
        NullLogger<PostgresDatabase>.Instance,
        metrics);

    private static async Task<bool> InRecoveryAsync(DbConnection connection)
    {
        await using (connection)
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_is_in_recovery()", cancellationToken: Ct));
        }
    }
}
