using Atrium.Platform.Data;
using Atrium.Platform.Endpoints;
using Atrium.Platform.Health;
using Atrium.Platform.Hosting;
using Atrium.Platform.Ids;
using Atrium.Platform.Idempotency;
using Atrium.Platform.Messaging;
using Atrium.Platform.Observability;
using Atrium.Platform.RateLimiting;
using Atrium.Platform.Redis;
using Atrium.Platform.Resilience;
using Atrium.Platform.Retention;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Atrium.Platform;

/// <summary>The building blocks every module stands on (DESIGN.md §4), added and mapped once by the host.</summary>
public static class PlatformModule
{
    public static IHostApplicationBuilder AddPlatform(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        // Hosting: every background service runs supervised (retried with backoff, reported on /health and in metrics).
        services.AddSupervisedServices();

        // Resilience: one pipeline per shared dependency (one breaker every caller sees), breaker states as metrics.
        services.AddSingleton<ResilienceMetrics>();
        services.AddSingleton<DependencyPipelines>();
        services.Configure<MessagingOptions>(builder.Configuration.GetSection("Atrium:Messaging"));

        // Data: migrations run first, then the node-id lease; both before the server accepts requests.
        builder.AddAtriumDatabase(); // SQLite or PostgreSQL + replicas, by connection string; runs the migrations
        services.AddMigrations("Platform", typeof(PlatformModule).Assembly);
        services.AddSingleton<NodeIdLease>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeIdLease>());
        services.AddSingleton<SnowflakeIds>();
        services.AddSingleton<IdBlocks>();
        services.AddSingleton<IdempotencyKeys>();

        // Messaging: outbox → relay → transport → consumers (inbox, retries, dead letters).
        services.AddSingleton<ConsumerCatalog>();
        services.AddSingleton<ConsumerRunner>();
        services.AddSingleton<IEventPublisher, OutboxPublisher>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddMessagingTransport(builder.Configuration); // embedded queue table, or RabbitMQ when configured

        // Retention: one sweeper deletes what outlived its window in every table that grows with traffic.
        services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection("Atrium:Retention"))
            .Validate(o => o.Problem() is null, "Atrium:Retention is inconsistent (see RetentionOptions.Problem).").ValidateOnStart();
        services.AddRetention("platform_inbox", "processed_at", o => o.Inbox);
        services.AddRetention("platform_idempotency", "created_at", o => o.IdempotencyKeys);
        services.AddRetention("platform_dead_letters", "failed_at", o => o.DeadLetters);
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweeper>());

        services.AddHybridCache(options =>
        {
            options.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromHours(1),
                LocalCacheExpiration = TimeSpan.FromMinutes(10),
            };
        });

        builder.AddAtriumRedis();

        // Web: strict JSON, ProblemDetails for every error, binding failures reported, not swallowed.
        services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemText.AddDetail);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>(); // after the framework's: whatever Accept says
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnreadableCharsetExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddAuthentication(); // schemes and policies come from the Accounts module
        services.AddAuthorization();
        services.AddAtriumRateLimiting();
        services.AddLoadShedding(builder.Configuration);
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddSingleton<PlatformMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Atrium.*")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Registers a module's migration scripts (embedded under <c>Data/Migrations/&lt;dialect&gt;/</c>).</summary>
    public static IServiceCollection AddMigrations(this IServiceCollection services, string module, System.Reflection.Assembly assembly) =>
        services.AddSingleton(new MigrationSource(module, assembly));

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseTrustedProxies(); // first: everything after sees the real client behind the gateway (Atrium:TrustedProxies)
        app.UseExceptionHandler();
        app.UseLoadShedding(); // before any work: a shed request costs almost nothing
        app.UseStatusCodePages();
        app.UseAuthentication(); // no default scheme: authenticates only where an endpoint's policy asks
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization, so limits can be per user
        return app;
    }

    public static IEndpointRouteBuilder MapPlatform(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        routes.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).ExcludeFromDescription();
        routes.MapPrometheusScrapingEndpoint("/metrics");
        routes.MapOpenApi();
        routes.MapScalarApiReference("/docs/api");
        routes.MapDeadLetterApi();
        return routes;
    }
}
