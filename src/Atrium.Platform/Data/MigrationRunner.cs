using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atrium.Platform.Data;

/// <summary>
/// Applies every module's pending migrations before anything else starts (Platform first), so the
/// server never answers a request against an old schema.
/// </summary>
internal sealed partial class MigrationRunner(
    IDatabase database,
    IEnumerable<MigrationSource> sources,
    ILogger<MigrationRunner> logger) : IHostedLifecycleService
{
    /// <summary>
    /// The key of the PostgreSQL advisory lock held while migrating (any constant shared by every node):
    /// nodes starting together take turns, each seeing the journal as the one before it left it.
    /// </summary>
    internal const long PostgresMigrationLockKey = 0x4174_7269_756D; // "Atrium" in ASCII

    private static readonly TimeSpan ReplicaCatchUp = TimeSpan.FromSeconds(15);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        switch (database)
        {
            case SqliteDatabase sqlite:
                // Processes starting together on one database take turns: each sees the journal as the one
                // before it left it, so no script runs twice.
                await using (await FileLock.AcquireAsync(sqlite.FilePath + ".migrate.lock", TimeSpan.FromMinutes(2), cancellationToken))
                {
                    Apply(source => DeployChanges.To.SqliteDatabase(sqlite.ConnectionString), "sqlite");
                }

                break;

            case PostgresDatabase postgres:
                // Only the primary migrates; replicas receive the new schema through replication. A session-level
                // advisory lock, held on its own connection across every module's scripts, serialises nodes.
                await using (var connection = new NpgsqlConnection(postgres.PrimaryConnectionString))
                {
                    await connection.OpenAsync(cancellationToken);
                    await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
                    {
                        take.Parameters.AddWithValue("key", PostgresMigrationLockKey);
                        take.CommandTimeout = 120;
                        await take.ExecuteNonQueryAsync(cancellationToken);
                    }

                    try
                    {
                        Apply(source => DeployChanges.To.PostgresqlDatabase(postgres.PrimaryConnectionString), "postgres");
                    }
                    finally
                    {
                        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                        release.Parameters.AddWithValue("key", PostgresMigrationLockKey);
                        await release.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }

                // Reads go to the replicas: start serving once they have the schema too (a fresh database, or a
                // new migration, is a few milliseconds behind there). A replica that is down or held back does not
                // stop the start: its reads fail over to the primary, or it catches up before it is first read.
                if (await postgres.WaitForReplicasAsync(ReplicaCatchUp, cancellationToken) is var lagging and > 0)
                {
                    LogReplicasBehind(lagging, ReplicaCatchUp);
                }

                break;

            default:
                throw new NotSupportedException($"No migration runner for {database.Dialect}.");
        }
    }

    private void Apply(Func<MigrationSource, UpgradeEngineBuilder> target, string dialect)
    {
        var folder = $".Data.Migrations.{dialect}.";
        foreach (var source in sources)
        {
            var upgrader = target(source)
                .WithScriptsEmbeddedInAssembly(source.Assembly, name => name.Contains(folder, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration {result.ErrorScript?.Name} of module {source.Module} failed: {result.Error.Message}", result.Error);
            }

            foreach (SqlScript script in result.Scripts)
            {
                LogApplied(source.Module, script.Name);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} replica(s) did not replay the migrations within {Timeout}; starting anyway")]
    private partial void LogReplicasBehind(int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration applied: {Module} {Script}")]
    private partial void LogApplied(string module, string script);
}
