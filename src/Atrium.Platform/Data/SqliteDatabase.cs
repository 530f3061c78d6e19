using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Data;

/// <summary>
/// The embedded shape's database: one SQLite file in WAL mode (readers never block the writer),
/// pooled connections, and a busy timeout so concurrent writers queue instead of failing.
/// Write transactions are <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), so two writers
/// never deadlock upgrading a read lock.
/// </summary>
internal sealed class SqliteDatabase : IDatabase
{
    public SqliteDatabase(IOptions<DatabaseOptions> options)
    {
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
        return connection;
    }
}
