using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Data;

/// <summary>
/// The embedded shape's database: one SQLite file in WAL mode (readers never block the writer),
/// pooled connections, and a busy timeout so concurrent writers queue instead of failing. The wait is
/// SQLite's own busy handler (<c>PRAGMA busy_timeout</c>: it retries after 1, 2, 5, 10… ms), set on every
/// connection: Microsoft.Data.Sqlite's managed retry alone sleeps 150 ms per SQLITE_BUSY, which under a
/// few concurrent writers turned link creation's p99 into seconds (scripts/bench-create.sh).
/// Write transactions are <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), so two writers
/// never deadlock upgrading a read lock.
/// </summary>
internal sealed class SqliteDatabase : IDatabase
{
    private readonly string _busyTimeout;

    public SqliteDatabase(IOptions<DatabaseOptions> options)
    {
        _busyTimeout = $"PRAGMA busy_timeout = {checked(options.Value.CommandTimeoutSeconds * 1000)};";
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, "atrium.db");
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = options.Value.CommandTimeoutSeconds,
        }.ToString();

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // journal_mode is persistent in the file; synchronous stays at its default FULL, so a
        // committed transaction survives a crash of the process and of the machine.
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    public Task<DbConnection> OpenReadAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = _busyTimeout;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }
}
