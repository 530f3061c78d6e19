using System.Globalization;
using Atrium.Faults.Tests.Harness;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Npgsql;

namespace Atrium.Faults.Tests.Failover;

/// <summary>
/// An Atrium cluster on HA PostgreSQL: <see cref="NodeCount"/> server processes (as <see cref="FaultCluster"/> starts
/// them, same <see cref="NodeSettings"/>) given the Patroni cluster's two multi-host connection strings (read-write for
/// the primary, prefer-standby for the replicas) and nothing else about it, a private Redis, and a virtual host of the
/// shared RabbitMQ. After a failover no node is restarted or reconfigured: Npgsql finds the new primary.
/// </summary>
internal sealed class PatroniAtrium : IAsyncDisposable
{
    public const int NodeCount = 2;

    private readonly List<string> _dataDirectories = [];
    private readonly List<AppProcess> _nodes = [];
    private RedisServer? _redis;

    private PatroniAtrium(PatroniCluster postgres, string databaseName)
    {
        Postgres = postgres;
        DatabaseName = databaseName;
    }

    public PatroniCluster Postgres { get; }

    public string DatabaseName { get; }

    public IReadOnlyList<AppProcess> Nodes => _nodes;

    public static async Task<PatroniAtrium> StartAsync(PatroniCluster postgres, RabbitMqServer rabbitMq, CancellationToken cancellationToken)
    {
        var name = $"failover_{Guid.NewGuid():N}"[..24];
        var cluster = new PatroniAtrium(postgres, name);
        try
        {
            cluster._redis = await RedisServer.StartNewAsync(cancellationToken);
            await rabbitMq.AddVirtualHostsAsync([name], cancellationToken);
            await postgres.CreateDatabaseAsync(name, cancellationToken);
            for (var i = 1; i <= NodeCount; i++)
            {
                var data = TempDirectory.Create("atrium-faults-node");
                cluster._dataDirectories.Add(data);
                cluster._nodes.Add(new AppProcess(
                    $"node{i.ToString(CultureInfo.InvariantCulture)}",
                    BuiltApps.Server,
                    "/health",
                    NodeSettings.For(
                        data,
                        postgres.ConnectionStringFor(name),
                        postgres.ReplicasConnectionStringFor(name),
                        $"{cluster._redis.ConnectionString},abortConnect=false",
                        rabbitMq.ConnectionStringFor(name))));
            }

            // The first node runs the migrations alone; the others start on the migrated database.
            await cluster._nodes[0].StartAsync(cancellationToken);
            await Task.WhenAll(cluster._nodes.Skip(1).Select(n => n.StartAsync(cancellationToken)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster's database on one PostgreSQL node alone, whatever its role (to read what that node holds).</summary>
    public NpgsqlDataSource DatabaseOn(PatroniNode node) => NpgsqlDataSource.Create(node.ConnectionStringFor(DatabaseName));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
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
