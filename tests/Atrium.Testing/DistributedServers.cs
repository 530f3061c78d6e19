using System.Collections.Concurrent;
using Atrium.Testing.Servers;

namespace Atrium.Testing;

/// <summary>
/// The real servers of the distributed shape, started once per test process on first use and shared by every
/// Atrium the tests start (each gets its own database, so tests stay independent): a PostgreSQL primary with one
/// streaming replica. Stopped when the test process exits. Tests that stop a server or pause replay must start
/// their own (<see cref="PostgresServer"/>), not use these.
/// </summary>
public static class DistributedServers
{
    private static readonly Lazy<Task<PostgresServer>> Postgres = new(StartPostgresAsync);
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> DatabasesByDataDirectory = new();

    /// <summary>The shared PostgreSQL primary (its replica: <see cref="PostgresReplica"/>).</summary>
    public static Task<PostgresServer> PostgresPrimaryAsync() => Postgres.Value;

    public static PostgresServer? PostgresReplica { get; private set; }

    /// <summary>
    /// The settings that point a new Atrium at the shared servers. An Atrium keyed by the same
    /// <paramref name="dataDirectory"/> (a process restarted on its data) gets the same database.
    /// </summary>
    public static async Task<Dictionary<string, string?>> SettingsForAsync(string dataDirectory)
    {
        var database = await DatabasesByDataDirectory.GetOrAdd(
            Path.GetFullPath(dataDirectory),
            _ => new Lazy<Task<string>>(CreateDatabaseAsync)).Value;
        return await SettingsForDatabaseAsync(database);
    }

    /// <summary>The settings for the shared servers, on an existing database of the shared primary.</summary>
    public static async Task<Dictionary<string, string?>> SettingsForDatabaseAsync(string database)
    {
        var primary = await PostgresPrimaryAsync();
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = primary.ConnectionStringFor(database),
            ["ConnectionStrings:PostgresReplicas"] = PostgresReplica!.ConnectionStringFor(database),

            // Redis and RabbitMQ: one line each here when their helpers land, e.g.
            // ["ConnectionStrings:Redis"] = (await RedisAsync()).ConnectionString,
        };
    }

    /// <summary>Blocking form of <see cref="SettingsForAsync"/> for constructors (runs on the thread pool: no deadlock).</summary>
    public static Dictionary<string, string?> SettingsFor(string dataDirectory) =>
        Task.Run(() => SettingsForAsync(dataDirectory)).GetAwaiter().GetResult();

    private static async Task<string> CreateDatabaseAsync()
    {
        var primary = await PostgresPrimaryAsync();
        var name = $"atrium_{Guid.NewGuid():N}";
        await primary.CreateDatabaseAsync(name);
        return name;
    }

    private static async Task<PostgresServer> StartPostgresAsync()
    {
        var primary = await PostgresServer.StartNewAsync();
        try
        {
            PostgresReplica = await primary.StartReplicaAsync();
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }

        // Stop them (and delete their files) when the test process ends; ServerProcess kills them as a last resort.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            Task.Run(async () => await primary.DisposeAsync()).Wait(TimeSpan.FromSeconds(20));
        return primary;
    }
}
