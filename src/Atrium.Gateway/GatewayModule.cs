using Yarp.ReverseProxy.Health;

namespace Atrium.Gateway;

/// <summary>The load balancer in front of N Atrium servers (DESIGN.md §1): YARP, configured from <see cref="GatewayOptions"/>.</summary>
public static class GatewayModule
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        options.Validate();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveFailuresPassivePolicy>();
        builder.Services.AddReverseProxy().LoadFromMemory([ProxyConfiguration.Route()], [ProxyConfiguration.Cluster(options)]);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapGet("/gateway/health", GatewayHealth.Get);

        // YARP's pipeline: load balancing, then passive health checks; no retries (see ProxyConfiguration).
        // WebSocket upgrades (HTTP/1.1 101, HTTP/2 CONNECT) are proxied as they are; nothing to set up.
        app.MapReverseProxy();
        return app;
    }
}
