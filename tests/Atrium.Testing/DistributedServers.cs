using System.Collections.Concurrent;
using Atrium.Testing.Servers;

namespace Atrium.Testing;

/// <summary>
/// The real servers of the distributed shape, started once per test process on first use and shared by every
/// Atrium the tests start: a PostgreSQL primary with one streaming replica, Redis and RabbitMQ. Each Atrium gets
/// its own of everything, so tests stay independent: its own PostgreSQL database, its own Redis logical database
/// (<c>defaultDatabase</c>) and pub/sub channel prefix (<c>channelPrefix</c>; channels are server-wide), and its own
/// RabbitMQ virtual host (queues are named by consumer, so two apps in one vhost would take each other's events).
/// Stopped when the test process exits. Tests that stop a server or pause replay must start their own
/// (<see cref="PostgresServer"/>, <see cref="RedisServer"/>, <see cref="RabbitMqServer"/>), not use these.
/// </summary>
public static class DistributedServers
{
    /// <summary>Redis logical databases of the shared server: one per Atrium (database 0 stays unused).</summary>
    private const int RedisDatabases = 4096;

    private static readonly Lazy<Task<PostgresServer>> Postgres = new(StartPostgresAsync);
    private static readonly Lazy<Task<RedisServer>> Redis = new(() => StartAsync(() => RedisServer.StartNewAsync(RedisDatabases), r => r.StopAsync()));

    // At exit the broker is killed, not stopped: a graceful `rabbitmqctl stop` takes seconds, and a test process
    // that has not exited a second after its last test is reported as hung ("foreground threads were left running").
    private static readonly Lazy<Task<RabbitMqServer>> RabbitMq = new(() => StartAsync(() => RabbitMqServer.StartNewAsync(), r => r.KillAsync()));
    private static readonly List<Func<Task>> Cleanups = [];
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> DatabasesByDataDirectory = new();
    private static readonly ConcurrentDictionary<string, Lazy<Task<Dictionary<string, string?>>>> SettingsByDatabase = new();
    private static readonly VirtualHostPool VirtualHosts = new(RabbitMq);
    private static int _lastRedisDatabase;

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

    /// <summary>
    /// The settings for the shared servers, on an existing database of the shared primary. The same database
    /// always gets the same Redis database and virtual host (nodes of one cluster, or a restarted process).
    /// </summary>
    public static async Task<Dictionary<string, string?>> SettingsForDatabaseAsync(string database) =>
        new(await SettingsByDatabase.GetOrAdd(database, name => new Lazy<Task<Dictionary<string, string?>>>(() => CreateSettingsAsync(name))).Value);

    /// <summary>The shared Redis (each Atrium uses its own logical database of it).</summary>
    public static Task<RedisServer> RedisAsync() => Redis.Value;

    /// <summary>The shared RabbitMQ node (each Atrium uses its own virtual host on it).</summary>
    public static Task<RabbitMqServer> RabbitMqAsync() => RabbitMq.Value;

    private static async Task<Dictionary<string, string?>> CreateSettingsAsync(string database)
    {
        var primaryTask = PostgresPrimaryAsync();
        var redisTask = RedisAsync();
        var virtualHostTask = VirtualHosts.TakeAsync();
        var (primary, redis, virtualHost) = (await primaryTask, await redisTask, await virtualHostTask);
        var redisDatabase = Interlocked.Increment(ref _lastRedisDatabase);
        if (redisDatabase >= RedisDatabases)
        {
            throw new InvalidOperationException($"The shared test Redis has {RedisDatabases} databases; this test run started more Atriums than that.");
        }

        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = primary.ConnectionStringFor(database),
            ["ConnectionStrings:PostgresReplicas"] = PostgresReplica!.ConnectionStringFor(database),
            ["ConnectionStrings:Redis"] = $"{redis.ConnectionString},defaultDatabase={redisDatabase},channelPrefix={database}:",
            ["ConnectionStrings:RabbitMQ"] = (await RabbitMqAsync()).ConnectionStringFor(virtualHost),
        };
    }

    private static async Task<T> StartAsync<T>(Func<Task<T>> start, Func<T, Task> stopFast)
        where T : IAsyncDisposable
    {
        var server = await start();
        OnExit(async () =>
        {
            await stopFast(server);
            await server.DisposeAsync();
        });
        return server;
    }

    /// <summary>
    /// Stops the shared servers when the test process exits, all at once and quickly (they are throwaway: killed,
    /// files deleted), so the process is gone within about a second of its last test.
    /// </summary>
    private static void OnExit(Func<Task> cleanup)
    {
        lock (Cleanups)
        {
            if (Cleanups.Count == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    Func<Task>[] all;
                    lock (Cleanups)
                    {
                        all = [.. Cleanups];
                    }

                    Task.WhenAll(all.Select(c => Task.Run(c))).Wait(TimeSpan.FromSeconds(8));
                };
            }

            Cleanups.Add(cleanup);
        }
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
        OnExit(async () => await primary.DisposeAsync());
        return primary;
    }
}
