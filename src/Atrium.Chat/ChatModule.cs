using Atrium.Chat.Data;
using Atrium.Chat.Delivery;
using Atrium.Chat.Endpoints;
using Atrium.Chat.Sockets;
using Atrium.Platform;
using Atrium.Platform.Redis;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atrium.Chat;

/// <summary>
/// The chat (DESIGN.md §3, Chat; protocol in docs/chat-protocol.md): conversations, gap-free per-conversation seqs,
/// a linear event stream per user, receipts as watermarks, presence and typing, and the WebSocket gateway. Embedded:
/// one node, in-process presence and delivery. Distributed (<c>ConnectionStrings:Redis</c> set): presence in Redis,
/// delivery to other nodes over their Redis channels.
/// </summary>
public static class ChatModule
{
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ChatOptions>(builder.Configuration.GetSection("Chat"));
        services.AddMigrations("Chat", typeof(ChatModule).Assembly);

        services.AddSingleton<ChatWriteGate>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<SendBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<SendBatcher>());
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<StreamStore>();
        services.AddSingleton<StreamRetention>();
        services.AddHostedService<StreamSweeper>();
        services.AddSingleton<ChatViews>();
        services.AddSingleton<SendLimiter>();
        services.AddSingleton<ChatService>();

        services.AddSingleton<ChatNode>();
        services.AddSingleton<ConnectionHub>();
        services.AddSingleton<ChatDelivery>();
        services.AddSingleton<PresenceNotifier>();
        services.AddSingleton<AckCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<AckCoalescer>());
        services.AddHostedService<SocketShutdown>();
        services.AddSingleton<HelloAuthenticator>();
        services.AddSingleton<SocketServices>();
        services.AddSingleton<SocketMetrics>();

        if (builder.Configuration.HasRedis())
        {
            services.AddSingleton<RedisPresenceRegistry>();
            services.AddSingleton<IPresenceRegistry>(sp => sp.GetRequiredService<RedisPresenceRegistry>());
            services.AddHostedService<PresenceHeartbeat>();
            services.AddSingleton<IChatBus, RedisChatBus>();
            services.AddRedisSubscription<NodeChannelSubscriber>();
        }
        else
        {
            services.AddSingleton<IPresenceRegistry, LocalPresenceRegistry>();
            services.AddSingleton<IChatBus, LocalChatBus>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder routes)
    {
        routes.MapConversationApi();
        routes.MapSyncApi();
        routes.MapChatSocket();
        return routes;
    }
}
