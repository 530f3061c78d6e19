using Atrium.Testing.Servers;
using Npgsql;
using Xunit;

namespace Atrium.Testing.Tests;

/// <summary>Each test takes its server down, so each starts its own (about a second).</summary>
public sealed class PostgresCrashTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill_and_restart_keeps_committed_rows_and_loses_uncommitted_ones()
    {
        await using var server = await PostgresServer.StartNewAsync(Cancellation);
        var connectionString = await server.CreateDatabaseAsync(cancellationToken: Cancellation) + ";Pooling=false";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Cancellation);
            await ExecuteAsync(connection, "CREATE TABLE notes (id bigint PRIMARY KEY); INSERT INTO notes VALUES (1)");
            await using var transaction = await connection.BeginTransactionAsync(Cancellation);
            await ExecuteAsync(connection, "INSERT INTO notes VALUES (2)");

            await server.KillAsync(Cancellation);
        }

        Assert.False(server.IsRunning);
        await using (var refused = new NpgsqlConnection(connectionString))
        {
            await Assert.ThrowsAsync<NpgsqlException>(() => refused.OpenAsync(Cancellation));
        }

        await server.StartAsync(Cancellation);
        await using var reopened = new NpgsqlConnection(connectionString);
        await reopened.OpenAsync(Cancellation);
        await using var select = new NpgsqlCommand("SELECT string_agg(id::text, ',' ORDER BY id) FROM notes", reopened);
        Assert.Equal("1", await select.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task Stop_and_start_is_an_outage_that_keeps_the_data()
    {
        await using var server = await PostgresServer.StartNewAsync(Cancellation);
        await server.QueryAsync("CREATE TABLE notes (id bigint); INSERT INTO notes VALUES (7)", cancellationToken: Cancellation);

        await server.StopAsync(Cancellation);
        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.QueryAsync("SELECT 1", cancellationToken: Cancellation));

        await server.StartAsync(Cancellation);
        Assert.Equal("7", await server.QueryAsync("SELECT id FROM notes", cancellationToken: Cancellation));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancellation);
    }
}
