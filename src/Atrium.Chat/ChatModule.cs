using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Atrium.Chat;

/// <summary>The chat (DESIGN.md §3, Chat).</summary>
public static class ChatModule
{
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder routes)
    {
        return routes;
    }
}
