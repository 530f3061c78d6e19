using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Npgsql;
using Xunit;

namespace Atrium.Faults.Tests.RedisCluster;

/// <summary>
/// The private servers of the Redis Cluster scenario: a PostgreSQL primary + streaming replica, RabbitMQ, a Redis
/// Cluster (3 masters, 1 replica each) and <see cref="NodeCount"/> real Atrium server processes reaching the cluster
/// directly (every node listed, so the client finds the topology from any live one).
/// </summary>
public sealed class RedisClusterFaults : IAsyncLifetime
{
    public const int NodeCount = 2;

    private readonly List<string> _dataDirectories = [];
    private NpgsqlDataSource? _database;
    private PostgresServer? _primary;
    private RabbitMqServer? _rabbitMq;

    public Atrium.Testing.Servers.RedisCluster Redis { get; private set; } = null!;

    public IReadOnlyList<AppProcess> Nodes { get; private set; } = [];

    /// <summary>The cluster's database on the primary: the ledger's acknowledged writes are checked against it.</summary>
    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The cluster has not started.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var primaryTask = PostgresServer.StartNewAsync(cancellationToken);
        var redisTask = Atrium.Testing.Servers.RedisCluster.StartNewAsync(cancellationToken);
        var rabbitTask = RabbitMqServer.StartNewAsync(cancellationToken);
        _primary = await primaryTask;
        Redis = await redisTask;
        _rabbitMq = await rabbitTask;
        var replica = await _primary.StartReplicaAsync(cancellationToken); // stopped with the primary
        var name = $"faults_{Guid.NewGuid():N}";
        await _primary.CreateDatabaseAsync(name, cancellationToken);
        _database = NpgsqlDataSource.Create(_primary.ConnectionStringFor(name));

        var nodes = new List<AppProcess>();
        for (var i = 1; i <= NodeCount; i++)
        {
            var data = TempDirectory.Create("atrium-faults-rcluster");
            _dataDirectories.Add(data);
            nodes.Add(new AppProcess(
                $"node{i.ToString(CultureInfo.InvariantCulture)}",
                BuiltApps.Server,
                "/health",
                NodeSettings.For(data, _primary.ConnectionStringFor(name), replica.ConnectionStringFor(name), Redis.ConnectionString, _rabbitMq.ConnectionString)));
        }

        Nodes = nodes;
        await nodes[0].StartAsync(cancellationToken); // the migrations, alone
        await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_rabbitMq is not null)
        {
            await _rabbitMq.KillAsync();
            await _rabbitMq.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }

        foreach (var data in _dataDirectories)
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned eventually.
            }
        }
    }
}
