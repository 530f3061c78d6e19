using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// Gives each test its own RabbitMQ virtual host on a shared node: its own <c>atrium.events</c> exchange,
/// consumer queues and dead-letter queue, so tests running in parallel never see each other's messages.
/// </summary>
internal static class RabbitMqTestBroker
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh virtual host the guest user may use; returns its AMQP URI.</summary>
    public static async Task<(string VirtualHost, string ConnectionString)> NewVirtualHostAsync(RabbitMqServer server)
    {
        var vhost = $"test-{Guid.NewGuid():N}"[..17];
        await server.CtlAsync(["add_vhost", vhost], Ct);
        await server.CtlAsync(["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], Ct);
        return (vhost, $"amqp://guest:guest@127.0.0.1:{server.Port}/{vhost}");
    }

    /// <summary>Starts a <see cref="PlatformHost"/> in the distributed messaging shape on <paramref name="connectionString"/>.</summary>
    public static Task<PlatformHost> StartHostAsync(string dataDirectory, string connectionString) =>
        PlatformHost.StartAsync(dataDirectory, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMQ"] = connectionString,
            ["Atrium:RabbitMQ:RecoveryInterval"] = "00:00:00.500",
        });

    /// <summary><c>rabbitmqctl list_queues</c> in the virtual host: one line per queue, tab-separated columns.</summary>
    public static Task<string> ListQueuesAsync(RabbitMqServer server, string vhost, params string[] columns) =>
        server.CtlAsync(["list_queues", "-p", vhost, "--no-table-headers", .. columns], Ct);
}
