using System.Diagnostics.Metrics;
using Atrium.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Server.Tests.Support;

/// <summary>An Atrium with the test-only <c>GET /test/hold</c> endpoint and the load-shedding settings a subclass gives.</summary>
public abstract class LoadSheddingFixture : IAsyncDisposable
{
    private readonly AtriumApp _app;
    private readonly WebApplicationFactory<Program> _factory;

    protected LoadSheddingFixture(IDictionary<string, string?> settings)
    {
        _app = new AtriumApp(settings);
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services
            .AddSingleton(Held)
            .AddSingleton<IStartupFilter, HoldEndpointStartupFilter>()));
        Meters = new AppMeters(_factory.Services.GetRequiredService<IMeterFactory>()); // starts the app
    }

    /// <summary>The app's own resilience instruments.</summary>
    internal AppMeters Meters { get; }

    public HeldRequests Held { get; } = new();

    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async ValueTask DisposeAsync()
    {
        Held.Open();
        Meters.Dispose();
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        TestData.TryDelete(_app.DataDirectory);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Two requests in flight per node, one more may queue.</summary>
public sealed class NodeLimitFixture() : LoadSheddingFixture(new Dictionary<string, string?>
{
    ["Atrium:LoadShedding:MaxConcurrentRequests"] = "2",
    ["Atrium:LoadShedding:QueueLimit"] = "1",
});

/// <summary>A roomy node, but the test endpoint's module may hold only two requests at once.</summary>
public sealed class ModuleLimitFixture() : LoadSheddingFixture(new Dictionary<string, string?>
{
    ["Atrium:LoadShedding:MaxConcurrentRequests"] = "100",
    [$"Atrium:LoadShedding:Modules:{HoldEndpointStartupFilter.Module}"] = "2",
});
