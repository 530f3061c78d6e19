using Atrium.Links;
using Atrium.Links.Data;
using Atrium.Platform;
using Atrium.Platform.Data;
using Atrium.Platform.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Lab.Stampede;

/// <summary>
/// Atrium's redirect read path in this process, composed as the server composes it (the Platform's database and
/// migrations, HybridCache, the embedded cache invalidator, the Links module's <see cref="LinkStore"/>,
/// <see cref="LinkCache"/> and metrics) on a real PostgreSQL database: what the <c>stampede</c> strategies read through.
/// </summary>
internal sealed class LinkReadHost : IAsyncDisposable
{
    private readonly IHost _host;

    private LinkReadHost(IHost host) => _host = host;

    public LinkStore Store => _host.Services.GetRequiredService<LinkStore>();

    public LinkCache Cache => _host.Services.GetRequiredService<LinkCache>();

    public static async Task<LinkReadHost> StartAsync(string postgres, TimeSpan cacheLifetime, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["Atrium:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"atrium-lab-stampede-{Guid.NewGuid():N}"),
        });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        builder.AddAtriumDatabase();
        services.AddMigrations("Platform", typeof(PlatformModule).Assembly);
        services.AddMigrations("Links", typeof(LinksModule).Assembly);
        services.AddHybridCache();
        builder.AddAtriumRedis(); // no Redis configured: the embedded shape's local invalidator
        services.Configure<LinksOptions>(options => options.LocalCacheDuration = cacheLifetime);
        services.AddSingleton<LinksMetrics>();
        services.AddSingleton<LinkStore>();
        services.AddSingleton<LinkCache>();
        var host = builder.Build();
        await host.StartAsync(cancellationToken); // runs the migrations
        return new LinkReadHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
