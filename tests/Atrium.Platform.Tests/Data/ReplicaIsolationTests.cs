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

        await monitor.ProbeAsync(Ct);

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
        await monitor.ProbeAsync(Ct);
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.Replica, "0"));
        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));

        await postgres.Replica.PauseReplayAsync(Ct);
        try
        {
            await postgres.Primary.QueryAsync("CREATE TABLE lag_probe (id bigint); INSERT INTO lag_probe VALUES (1)", name, Ct); // WAL it cannot replay
            await Eventually.ReachesAsync(
                async () =>
                {
                    await monitor.ProbeAsync(Ct);
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
                await monitor.ProbeAsync(Ct);
                return metrics.StateOf(Dependency.Replica, "0");
            },
            state => state == CircuitState.Closed,
            "the replica to catch up and come back");
        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
    }

    [Fact]
    public async Task A_replica_cut_off_from_its_primary_leaves_the_rotation_while_the_primary_takes_writes_and_returns_once_caught_up()
    {
        var name = await NewDatabaseAsync();
        await postgres.Primary.QueryAsync("CREATE TABLE cut_off (id bigint)", name, Ct);
        await postgres.Replica.WaitForReplayAsync(cancellationToken: Ct);
        var options = new DatabaseOptions { MaxReplicaLag = TimeSpan.FromSeconds(1), ReplicaCheckInterval = TimeSpan.FromMilliseconds(200) };
        var metrics = new ResilienceMetrics(new TestMeterFactory());
        await using var database = NewDatabase(name, [postgres.Replica.ConnectionStringFor(name)], options, metrics);
        var monitor = new ReplicaLagMonitor(database, Options.Create(options), Supervisor(), NullLogger<ReplicaLagMonitor>.Instance);
        await monitor.ProbeAsync(Ct);
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.Replica, "0"));

        // The replica stays up and answers, but receives nothing more: everything it received is replayed, so by
        // its own account it is current.
        var conninfo = await postgres.Replica.DisconnectAsync(Ct);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writes = WriteUntilAsync(name, stopWriting.Token);
        try
        {
            await Eventually.ReachesAsync(
                async () =>
                {
                    await monitor.ProbeAsync(Ct);
                    await Task.Delay(options.ReplicaCheckInterval, Ct);
                    return metrics.StateOf(Dependency.Replica, "0");
                },
                state => state == CircuitState.Isolated,
                "the cut-off replica to fall more than 1 s behind the primary and be isolated");
            Assert.False(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
        }
        finally
        {
            await postgres.Replica.ReconnectAsync(conninfo, CancellationToken.None);
        }

        await stopWriting.CancelAsync();
        var written = await writes;
        await Eventually.ReachesAsync(
            async () =>
            {
                await monitor.ProbeAsync(Ct);
                await Task.Delay(options.ReplicaCheckInterval, Ct);
                return metrics.StateOf(Dependency.Replica, "0");
            },
            state => state == CircuitState.Closed,
            "the reconnected replica to catch up and come back");
        await using var read = await database.OpenReadAsync(Ct);
        Assert.True(await read.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_is_in_recovery()", cancellationToken: Ct)));
        Assert.Equal(written, await read.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cut_off", cancellationToken: Ct)));
    }

    /// <summary>Inserts a row on the primary every 50 ms until stopped; returns how many it inserted.</summary>
    private async Task<long> WriteUntilAsync(string name, CancellationToken stop)
    {
        await using var primary = new Npgsql.NpgsqlConnection(postgres.Primary.ConnectionStringFor(name));
        await primary.OpenAsync(Ct);
        long written = 0;
        while (!stop.IsCancellationRequested)
        {
            await primary.ExecuteAsync(new CommandDefinition("INSERT INTO cut_off VALUES (1)", cancellationToken: Ct));
            written++;
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return written;
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
