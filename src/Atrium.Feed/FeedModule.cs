using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Atrium.Feed;

/// <summary>The feed (DESIGN.md §3, Feed).</summary>
public static class FeedModule
{
    public static IHostApplicationBuilder AddFeed(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder routes)
    {
        return routes;
    }
}
