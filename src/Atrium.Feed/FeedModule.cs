using Atrium.Feed.Data;
using Atrium.Feed.Endpoints;
using Atrium.Feed.Events;
using Atrium.Platform;
using Atrium.Platform.Messaging;
using Atrium.Platform.RateLimiting;
using Atrium.Platform.Redis;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Feed;

/// <summary>The feed (DESIGN.md §3, Feed): posts, follows, blocks, home timelines with hybrid fan-out.</summary>
public static class FeedModule
{
    public static IHostApplicationBuilder AddFeed(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeedOptions>().Bind(builder.Configuration.GetSection("Feed"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedOptions>, FeedOptionsValidator>();
        services.AddMigrations("Feed", typeof(FeedModule).Assembly);

        services.AddSingleton<FeedMetrics>();
        services.AddSingleton<PostStore>();
        services.AddSingleton<FollowStore>();
        services.AddSingleton<PostCache>();
        services.AddSingleton<FeedItems>();
        services.AddSingleton<Posting>();
        services.AddSingleton<Following>();
        services.AddSingleton<HomeTimeline>();
        services.AddSingleton<ICelebrityPosts, CelebrityPosts>();
        services.AddSingleton<TimelineRebuildHook>();

        // Timelines in Redis when the shape has it, else in the database.
        if (builder.Configuration.HasRedis())
        {
            services.AddSingleton<ITimelineStore, RedisTimelineStore>();
        }
        else
        {
            services.AddSingleton<ITimelineStore, SqlTimelineStore>();
        }

        services.AddEventConsumer<PostCreated, FanOutPlanner>(FanOutPlanner.ConsumerName);
        services.AddEventConsumer<FanOutBatch, FanOutWriter>(FanOutWriter.ConsumerName);
        services.AddEventConsumer<FollowChanged, FollowBackfiller>(FollowBackfiller.ConsumerName);
        services.AddEventConsumer<TimelineRebuildRequested, TimelineRebuilder>(TimelineRebuilder.ConsumerName);

        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FeedOptions>>((limiter, feed) => limiter
            .AddPerClientTokenBucket(PostApi.PostPolicy, feed.Value.PostsPerMinute, feed.Value.PostsBurst)
            .AddPerClientTokenBucket(UserApi.FollowPolicy, feed.Value.FollowChangesPerMinute, feed.Value.FollowChangesBurst)
            .AddPerClientTokenBucket(PostApi.ReadPolicy, feed.Value.ReadsPerMinute, feed.Value.ReadsBurst));
        return builder;
    }

    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder routes)
    {
        routes.MapPostApi();
        routes.MapFeedApi();
        routes.MapUserApi();
        return routes;
    }
}
