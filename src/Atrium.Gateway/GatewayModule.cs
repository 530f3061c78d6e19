using OpenTelemetry.Metrics;
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
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName).AddPrometheusExporter());
        builder.Services.AddReverseProxy().LoadFromMemory([ProxyConfiguration.Route()], [ProxyConfiguration.Cluster(options)]);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapGet("/gateway/health", GatewayHealth.Get);
        app.MapPrometheusScrapingEndpoint("/gateway/metrics");

        // YARP's default pipeline (session affinity, load balancing, passive health checks) inside one safe retry: a
        // GET or HEAD that no server answered is load balanced and health-checked again, over the other servers.
        // WebSocket upgrades (HTTP/1.1 101, HTTP/2 CONNECT) are proxied as they are; nothing to set up.
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<SafeRetry>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
