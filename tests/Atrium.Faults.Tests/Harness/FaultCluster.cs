using System.Globalization;
using System.Net;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Npgsql;
using Xunit;

namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// A private Atrium cluster for tests that kill things (never the shared DistributedServers): its own PostgreSQL
/// primary + streaming replica, Redis (reached by every node through a <see cref="FaultProxy"/>, pass-through until a
/// scenario injects a fault), RabbitMQ, <see cref="NodeCount"/> real Atrium server processes and the real gateway
/// process in front of them. Scenarios that break something restore it before they end (<see cref="HealAsync"/>).
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    public const int NodeCount = 2;

    /// <summary>The gateway's <c>Gateway:PassiveFailures</c> (its default, set explicitly): failures in a row that eject a node.</summary>
    public const int GatewayPassiveFailures = 3;

    private readonly List<string> _dataDirectories = [];
    private NpgsqlDataSource? _database;

    public PostgresServer Primary { get; private set; } = null!;

    public PostgresServer Replica { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public RabbitMqServer RabbitMq { get; private set; } = null!;

    /// <summary>Every node's Redis connection goes through this proxy.</summary>
    public FaultProxy RedisProxy { get; private set; } = null!;

    public IReadOnlyList<AppProcess> Nodes { get; private set; } = [];

    public AppProcess Gateway { get; private set; } = null!;

    /// <summary>The cluster's database on the primary (for invariant checks the API cannot answer, e.g. counting rows).</summary>
    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The cluster has not started.");

    public string DatabaseName { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var primaryTask = PostgresServer.StartNewAsync(cancellationToken);
        var redisTask = RedisServer.StartNewAsync(cancellationToken);
        var rabbitTask = RabbitMqServer.StartNewAsync(cancellationToken);
        Primary = await primaryTask;
        Redis = await redisTask;
        RabbitMq = await rabbitTask;
        Replica = await Primary.StartReplicaAsync(cancellationToken);
        DatabaseName = $"faults_{Guid.NewGuid():N}";
        await Primary.CreateDatabaseAsync(DatabaseName, cancellationToken);
        _database = NpgsqlDataSource.Create(Primary.ConnectionStringFor(DatabaseName));
        RedisProxy = new FaultProxy(new IPEndPoint(IPAddress.Loopback, Redis.Port));

        var nodes = new List<AppProcess>();
        for (var i = 1; i <= NodeCount; i++)
        {
            var data = TempDirectory.Create("atrium-faults-node");
            _dataDirectories.Add(data);
            nodes.Add(new AppProcess(
                $"node{i.ToString(CultureInfo.InvariantCulture)}",
                BuiltApps.Server,
                "/health",
                NodeSettings.For(
                    data,
                    Primary.ConnectionStringFor(DatabaseName),
                    Replica.ConnectionStringFor(DatabaseName),
                    $"{RedisProxy.Endpoint},abortConnect=false",
                    RabbitMq.ConnectionString)));
        }

        Nodes = nodes;

        // The first node runs the migrations alone; the others start on the migrated database.
        await nodes[0].StartAsync(cancellationToken);
        await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync(cancellationToken)));

        var gatewaySettings = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Gateway:PassiveFailures"] = GatewayPassiveFailures.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < nodes.Count; i++)
        {
            gatewaySettings[$"Gateway:Destinations:{i.ToString(CultureInfo.InvariantCulture)}"] = nodes[i].BaseAddress.ToString().TrimEnd('/');
        }

        Gateway = new AppProcess("gateway", BuiltApps.Gateway, "/gateway/health", gatewaySettings);
        await Gateway.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Puts the cluster back as it started: faults off, the primary running, replay resumed, Redis and every node running, and the gateway
    /// routing to every node again. Scenarios call it at their end (also when they fail) so the next one starts clean.
    /// </summary>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        RedisProxy.Pass();
        if (!Primary.IsRunning)
        {
            await Primary.StartAsync(cancellationToken); // scenario 13 stops it
            Database.Clear(); // pooled connections died with the server
        }

        await Replica.ResumeReplayAsync(cancellationToken);
        if (!Redis.IsRunning)
        {
            await Redis.StartAsync(cancellationToken);
        }

        foreach (var node in Nodes.Where(n => !n.IsRunning))
        {
            await node.StartAsync(cancellationToken);
        }

        if (!Gateway.IsRunning)
        {
            await Gateway.StartAsync(cancellationToken);
        }

        await GatewayView.WaitUntilAllAvailableAsync(Gateway, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (RedisProxy is not null)
        {
            await RedisProxy.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        // The broker is killed, not stopped: a graceful stop takes seconds and nothing here needs it.
        if (RabbitMq is not null)
        {
            await RabbitMq.KillAsync();
            await RabbitMq.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Primary is not null)
        {
            await Primary.DisposeAsync();
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
