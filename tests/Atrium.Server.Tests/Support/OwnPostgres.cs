using Atrium.Testing.Servers;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// A PostgreSQL primary with one streaming replica and a fresh database, for a test that stops the primary or
/// pauses the replica's replay (which would stall every other test on the shared servers). Disposing stops both.
/// </summary>
internal sealed class OwnPostgres : IAsyncDisposable
{
    private OwnPostgres(PostgresServer primary, PostgresServer replica, string database) =>
        (Primary, Replica, Database) = (primary, replica, database);

    public PostgresServer Primary { get; }

    public PostgresServer Replica { get; }

    public string Database { get; }

    public static async Task<OwnPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var primary = await PostgresServer.StartNewAsync(cancellationToken);
        try
        {
            var replica = await primary.StartReplicaAsync(cancellationToken);
            var database = $"own_{Guid.NewGuid():N}";
            await primary.CreateDatabaseAsync(database, cancellationToken);
            return new OwnPostgres(primary, replica, database);
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Atrium's settings for this primary and replica, with the given read-your-writes window.</summary>
    public Dictionary<string, string?> Settings(TimeSpan readYourWritesWindow) => new()
    {
        ["ConnectionStrings:Postgres"] = Primary.ConnectionStringFor(Database),
        ["ConnectionStrings:PostgresReplicas"] = Replica.ConnectionStringFor(Database),
        ["Atrium:Database:ReadYourWritesWindow"] = readYourWritesWindow.ToString(),
    };

    public ValueTask DisposeAsync() => Primary.DisposeAsync(); // the primary disposes its replicas
}
