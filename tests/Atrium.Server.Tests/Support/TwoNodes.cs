using Atrium.Testing;
using Atrium.Testing.Servers;

namespace Atrium.Server.Tests.Support;

/// <summary>Two Atrium nodes on one data directory (one database) and one real Redis (a server or a cluster) of the test's own.</summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly List<AtriumApp> _apps = [];
    private readonly List<HttpClient> _clients = [];
    private string _dataDirectory = "";

    public static Task<TwoNodes> StartAsync(RedisServer redis, IDictionary<string, string?> settings, CancellationToken cancellationToken) =>
        StartAsync(redis.ConnectionString, settings, cancellationToken);

    /// <summary>Two nodes on the Redis (a server or a cluster) of <paramref name="redis"/>, a StackExchange.Redis connection string.</summary>
    public static async Task<TwoNodes> StartAsync(string redis, IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var nodes = new TwoNodes();
        var all = new Dictionary<string, string?>(settings) { ["ConnectionStrings:Redis"] = redis };
        var first = new AtriumApp(all);
        nodes._dataDirectory = first.DataDirectory;
        nodes._apps.Add(first);
        nodes._apps.Add(new AtriumApp(all, first.DataDirectory));
        var apiKey = await TestUsers.ApiKeyOfNewUserAsync(first.CreateApiClient(), cancellationToken);
        foreach (var app in nodes._apps)
        {
            nodes._clients.Add(app.CreateApiClient().WithApiKey(apiKey));
        }

        return nodes;
    }

    /// <summary>A client of node <paramref name="node"/> (0 or 1), signed in by the nodes' shared test user's API key.</summary>
    public HttpClient Client(int node) => _clients[node];

    /// <summary>Node <paramref name="node"/> (0 or 1) itself, for its services.</summary>
    public AtriumApp App(int node) => _apps[node];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        TestData.TryDelete(_dataDirectory);
    }
}
