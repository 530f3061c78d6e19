using Atrium.Chat.Tests.Support;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Atrium.Chat.Tests;

/// <summary>
/// Two in-memory Atrium nodes on one database and a Redis Cluster (3 masters, 1 replica each): presence entries spread
/// over the cluster's slots and the nodes' pub/sub channels carry live delivery between nodes as on one Redis server.
/// </summary>
public sealed class RedisClusterDeliveryTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    private const int Recipients = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_sent_on_one_node_reaches_recipients_connected_to_the_other_node_live()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.Cluster.ConnectionString,
            ["Chat:UserSendsPerSecond"] = "10000",
            ["Chat:UserSendBurst"] = "10000",
            ["Chat:ConversationSendsPerSecond"] = "10000",
            ["Chat:ConversationSendBurst"] = "10000",

            // No periodic catch-up reads: a message reaches node B's sockets only through node B's Redis channel.
            ["Chat:CatchUpInterval"] = "01:00:00",
        };
        var nodeA = new AtriumApp(settings);
        var nodeB = new AtriumApp(settings, nodeA.DataDirectory);
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        using var httpA = nodeA.CreateClient(options);
        var sender = await TestUsers.SignUpAsync(httpA, Ct);
        var recipients = new List<TestUser>();
        for (var i = 0; i < Recipients; i++)
        {
            recipients.Add(await TestUsers.SignUpAsync(httpA, Ct));
        }

        httpA.As(sender);
        var id = (await httpA.CreateConversationAsync([.. recipients.Select(r => r.Username)])).Id();
        var sockets = new List<ChatSocket>();
        try
        {
            foreach (var recipient in recipients)
            {
                var socket = await nodeB.Server.CreateWebSocketClient().ConnectAsync(new Uri(nodeB.Server.BaseAddress, "ws"), Ct);
                sockets.Add(await ChatSocket.HelloAsync(socket, recipient.AccessToken));
            }

            for (var m = 1; m <= 3; m++)
            {
                await httpA.SendAsync(id, $"across the cluster {m}");
                foreach (var socket in sockets)
                {
                    var frame = await socket.NextAsync(f => f.IsMessage(id), $"message {m} on node B");
                    Assert.Equal($"across the cluster {m}", frame.Text());
                }
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }

            await nodeB.DisposeAsync();
            await nodeA.DisposeAsync();
            try
            {
                Directory.Delete(nodeA.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held: the temp directory is cleaned by the OS
            }
        }
    }
}
