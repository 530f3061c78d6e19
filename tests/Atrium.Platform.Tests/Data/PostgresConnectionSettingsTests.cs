using System.Data.Common;
using Atrium.Platform.Data;
using Atrium.Testing.Servers;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Atrium.Platform.Tests.Data;

/// <summary>
/// <c>ConnectionStrings:PostgresReplicas</c>: a comma-separated list of connection strings, where a multi-host connection
/// string (its own comma-separated Host list) is one entry, and the single-host settings of before keep working.
/// </summary>
public sealed class PostgresConnectionSettingsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_comma_inside_a_host_list_stays_in_its_connection_string()
    {
        var replicas = PostgresConnectionStrings.SplitReplicas(
            "Host=10.0.0.1;Port=5433;Database=a, Host=10.0.0.2:5432,10.0.0.3:5432;Target Session Attributes=prefer-standby;Database=a,Host=10.0.0.4");

        Assert.Equal(
            ["Host=10.0.0.1;Port=5433;Database=a", "Host=10.0.0.2:5432,10.0.0.3:5432;Target Session Attributes=prefer-standby;Database=a", "Host=10.0.0.4"],
            replicas);
        Assert.Equal(["Host=a:1,b:2,c:3"], PostgresConnectionStrings.SplitReplicas("Host=a:1,b:2,c:3"));
        Assert.Empty(PostgresConnectionStrings.SplitReplicas(" "));
        Assert.Empty(PostgresConnectionStrings.SplitReplicas(null));
    }

    [Fact]
    public void A_multi_host_string_rechecks_host_roles_every_second_unless_it_says_otherwise()
    {
        Assert.Contains("Host Recheck Seconds=1", PostgresConnectionStrings.Complete("Host=a:1,b:2;Database=x", 30), StringComparison.Ordinal);
        Assert.Contains("Host Recheck Seconds=7", PostgresConnectionStrings.Complete("Host=a:1,b:2;Host Recheck Seconds=7", 30), StringComparison.Ordinal);
        Assert.DoesNotContain("Recheck", PostgresConnectionStrings.Complete("Host=a;Port=1", 30), StringComparison.Ordinal);
        Assert.Contains("Maximum Pool Size=30", PostgresConnectionStrings.Complete("Host=a;Port=1", 30), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replicas_setting_with_a_multi_host_entry_among_single_host_ones_reads_from_the_standby()
    {
        var name = $"pgdb_{Guid.NewGuid():N}";
        await postgres.Primary.CreateDatabaseAsync(name, Ct);
        await postgres.Replica.WaitForReplayAsync(cancellationToken: Ct);
        var both = $"Host=127.0.0.1:{postgres.Primary.Port},127.0.0.1:{postgres.Replica.Port};Username=postgres;Database={name};Target Session Attributes=prefer-standby";

        using var host = Host(postgres.Primary.ConnectionStringFor(name), $"{postgres.Replica.ConnectionStringFor(name)},{both}");
        var database = Assert.IsType<PostgresDatabase>(host.Services.GetRequiredService<IDatabase>());

        Assert.Equal(2, database.ReplicaCount);
        for (var i = 0; i < 4; i++) // round robin over both entries: each lands on the standby
        {
            Assert.True(await InRecoveryAsync(await database.OpenReadAsync(Ct)));
        }
    }

    internal static IHost Host(string primary, string replicas)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = primary,
            ["ConnectionStrings:PostgresReplicas"] = replicas,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddLogging();
        builder.AddAtriumDatabase();
        return builder.Build();
    }

    private static async Task<bool> InRecoveryAsync(DbConnection connection)
    {
        await using (connection)
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_is_in_recovery()", cancellationToken: Ct));
        }
    }
}
