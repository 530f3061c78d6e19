using Atrium.Testing.Servers;
using Npgsql;
using Xunit;

namespace Atrium.Testing.Tests;

public sealed class PostgresServerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Primary_answers_on_a_database_of_the_tests_own()
    {
        var name = NewDatabaseName();
        await using var connection = new NpgsqlConnection(await postgres.Primary.CreateDatabaseAsync(name, Cancellation));
        await connection.OpenAsync(Cancellation);

        Assert.Equal(name, await ScalarAsync<string>(connection, "SELECT current_database()"));
        Assert.False(await ScalarAsync<bool>(connection, "SELECT pg_is_in_recovery()"));
    }

    [Fact]
    public async Task Replica_is_read_only_in_recovery_and_receives_rows_written_on_the_primary()
    {
        var name = NewDatabaseName();
        await using var primary = new NpgsqlConnection(await postgres.Primary.CreateDatabaseAsync(name, Cancellation));
        await primary.OpenAsync(Cancellation);
        await ExecuteAsync(primary, "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL); INSERT INTO notes VALUES (1, 'hello')");

        await postgres.Replica.WaitForReplayAsync(cancellationToken: Cancellation);
        await using var replica = new NpgsqlConnection(postgres.Replica.ConnectionStringFor(name));
        await replica.OpenAsync(Cancellation);

        Assert.True(await ScalarAsync<bool>(replica, "SELECT pg_is_in_recovery()"));
        Assert.Equal("hello", await ScalarAsync<string>(replica, "SELECT body FROM notes WHERE id = 1"));
        var readOnly = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(replica, "INSERT INTO notes VALUES (2, 'no')"));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, readOnly.SqlState);
    }

    [Fact]
    public async Task Paused_replay_holds_a_row_back_until_resumed()
    {
        var name = NewDatabaseName();
        await using var primary = new NpgsqlConnection(await postgres.Primary.CreateDatabaseAsync(name, Cancellation));
        await primary.OpenAsync(Cancellation);
        await ExecuteAsync(primary, "CREATE TABLE notes (id bigint PRIMARY KEY)");
        await postgres.Replica.WaitForReplayAsync(cancellationToken: Cancellation);
        await using var replica = new NpgsqlConnection(postgres.Replica.ConnectionStringFor(name));
        await replica.OpenAsync(Cancellation);

        await postgres.Replica.PauseReplayAsync(Cancellation);
        try
        {
            await ExecuteAsync(primary, "INSERT INTO notes VALUES (1)");

            // The replica has received the row's WAL (it is on its disk) but not applied it.
            var written = await postgres.Primary.QueryAsync("SELECT pg_current_wal_lsn()", cancellationToken: Cancellation);
            while (await ScalarAsync<bool>(replica, $"SELECT pg_last_wal_receive_lsn() < '{written}'::pg_lsn"))
            {
                await Task.Delay(20, Cancellation);
            }

            Assert.Equal(0L, await ScalarAsync<long>(replica, "SELECT count(*) FROM notes"));
        }
        finally
        {
            await postgres.Replica.ResumeReplayAsync(Cancellation);
        }

        await postgres.Replica.WaitForReplayAsync(cancellationToken: Cancellation);
        Assert.Equal(1L, await ScalarAsync<long>(replica, "SELECT count(*) FROM notes"));
    }

    private static string NewDatabaseName() => $"t_{Guid.NewGuid():N}";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
