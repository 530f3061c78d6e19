using Atrium.Links.Data;
using Atrium.Links.Endpoints;
using Atrium.Links.Events;
using Atrium.Links.Guessing;
using Atrium.Platform;
using Atrium.Platform.Messaging;
using Atrium.Platform.RateLimiting;
using Atrium.Platform.Redis;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atrium.Links;

/// <summary>The link shortener (DESIGN.md §3, Links): codes, redirects, click statistics.</summary>
public static class LinksModule
{
    public static IHostApplicationBuilder AddLinks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<LinksOptions>(builder.Configuration.GetSection("Links"));
        services.AddMigrations("Links", typeof(LinksModule).Assembly);

        services.AddSingleton<LinksMetrics>();
        services.AddSingleton<LinkStore>();
        services.AddSingleton<ClickStatsStore>();
        services.AddSingleton<CodecKeyStore>();
        services.AddSingleton<LinkCodes>();
        services.AddHostedService(sp => sp.GetRequiredService<LinkCodes>());
        services.AddSingleton<LinkCache>();
        services.AddSingleton<LinkShortener>();
        services.AddSingleton<Redirector>();
        services.AddSingleton<GuessBlocks>();
        services.AddSingleton<GuessThrottle>();
        if (builder.Configuration.HasRedis())
        {
            services.AddSingleton<RedisGuessBlockChannel>();
            services.AddSingleton<IGuessBlockAnnouncer>(sp => sp.GetRequiredService<RedisGuessBlockChannel>());
            services.AddRedisSubscription<RedisGuessBlockChannel>();
        }
        else
        {
            services.AddSingleton<IGuessBlockAnnouncer, LocalGuessBlockAnnouncer>();
        }

        services.AddSingleton<ClickBuffer>();
        services.AddHostedService<ClickFlusher>();
        services.AddEventConsumer<ClicksRecorded, ClickAggregator>(ClickAggregator.ConsumerName);

        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LinksOptions>>((limiter, links) => limiter
            .AddPerClientTokenBucket(
                LinkApi.CreatePolicy, links.Value.CreatePerMinute, links.Value.CreateBurst,
                anonymous: (links.Value.AnonymousCreatePerMinute, links.Value.AnonymousCreateBurst))
            .AddPerClientTokenBucket(LinkApi.ManagePolicy, links.Value.ManagePerMinute, links.Value.ManageBurst));
        return builder;
    }

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder routes)
    {
        routes.MapLinkApi();
        routes.MapRedirects();
        return routes;
    }
}
