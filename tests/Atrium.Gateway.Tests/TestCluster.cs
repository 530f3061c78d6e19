using System.Globalization;
using Atrium.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Atrium.Gateway.Tests;

/// <summary>
/// N real Atrium server processes on one shared SQLite data directory (WAL; fine for a test on one machine) and the
/// gateway in this process on its own loopback port, built by the same <see cref="GatewayModule"/> as the real one.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly WebApplication _gateway;
    private readonly string _data;

    private TestCluster(WebApplication gateway, Uri address, IReadOnlyList<AtriumProcess> nodes, string data)
    {
        _gateway = gateway;
        GatewayAddress = address;
        Nodes = nodes;
        _data = data;
    }

    public Uri GatewayAddress { get; }

    public IReadOnlyList<AtriumProcess> Nodes { get; }

    public static async Task<TestCluster> StartAsync(int nodes, CancellationToken cancellationToken, IDictionary<string, string>? gatewaySettings = null, IEnumerable<Uri>? extraDestinations = null)
    {
        var data = TempDirectory.Create("atrium-gateway");

        // The first node runs the migrations alone; then the others start on the migrated file in parallel.
        var first = await AtriumProcess.StartAsync(data, cancellationToken);
        var rest = await Task.WhenAll(Enumerable.Range(1, nodes - 1).Select(_ => AtriumProcess.StartAsync(data, cancellationToken)));
        List<AtriumProcess> all = [first, .. rest];
        var (gateway, address) = await StartGatewayAsync([.. extraDestinations ?? [], .. all.Select(n => n.BaseAddress)], gatewaySettings, cancellationToken);
        return new TestCluster(gateway, address, all, data);
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = GatewayAddress };

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned eventually.
        }
    }

    /// <summary>Only the gateway, in front of the given destinations; dispose the returned app to stop it.</summary>
    internal static async Task<(WebApplication App, Uri Address)> StartGatewayAsync(IReadOnlyList<Uri> destinations, IDictionary<string, string>? overrides, CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Gateway:HealthCheckInterval"] = "00:00:01",
            ["Gateway:HealthCheckTimeout"] = "00:00:01",
        };
        for (var i = 0; i < destinations.Count; i++)
        {
            settings[$"Gateway:Destinations:{i.ToString(CultureInfo.InvariantCulture)}"] = destinations[i].ToString();
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(address.ToString());
        builder.AddGateway();
        var app = builder.Build();
        app.MapGateway();
        await app.StartAsync(cancellationToken);
        return (app, address);
    }
}
