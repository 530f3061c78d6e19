using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (database is not SqliteDatabase sqlite)
        {
            throw new NotSupportedException($"No migration runner for {database.Dialect}.");
        }

        // Processes starting together on one database take turns: each sees the journal as the one
        // before it left it, so no script runs twice.
        await using var turn = await FileLock.AcquireAsync(sqlite.FilePath + ".migrate.lock", TimeSpan.FromMinutes(2), cancellationToken);

        foreach (var source in sources)
        {
            var folder = $".Data.Migrations.{database.Dialect.ToString().ToLowerInvariant()}.";
            var upgrader = DeployChanges.To
                .SqliteDatabase(sqlite.ConnectionString)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration applied: {Module} {Script}")]
    private partial void LogApplied(string module, string script);
}
