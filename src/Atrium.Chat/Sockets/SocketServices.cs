using Atrium.Chat.Data;
using Atrium.Chat.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Chat.Sockets;

/// <summary>What every <see cref="ChatConnection"/> uses (one instance, shared by all sockets).</summary>
internal sealed record SocketServices(
    ChatService Chat, StreamStore Streams, ChatViews Views, AckCoalescer Acks, IOptions<ChatOptions> Options, TimeProvider Time,
    ILogger<ChatConnection> Logger,
    SocketMetrics Metrics);
