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
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (database is not SqliteDatabase sqlite)
        {
            throw new NotSupportedException($"No migration runner for {database.Dialect}.");
        }

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

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration applied: {Module} {Script}")]
    private partial void LogApplied(string module, string script);
}
