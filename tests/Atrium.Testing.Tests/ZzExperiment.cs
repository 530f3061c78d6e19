using System.Text;
using Atrium.Testing.Servers;
using RabbitMQ.Client;
using Xunit;

namespace Atrium.Testing.Tests;

public sealed class ZzExperiment
{
    private static void W(string s) => File.AppendAllText("/tmp/rabbit-exp.txt", $"{DateTime.UtcNow:HH:mm:ss.fff} {s}\n");

    [Fact]
    public async Task Quorum_after_kill()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RabbitMqServer.StartNewAsync(ct);
        var f = new ConnectionFactory { Uri = new Uri(server.ConnectionString), AutomaticRecoveryEnabled = false, ContinuationTimeout = TimeSpan.FromSeconds(120) };
        await using (var c = await f.CreateConnectionAsync(ct))
        {
            await using var ch = await c.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            await ch.QueueDeclareAsync("q1", true, false, false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct);
            await ch.BasicPublishAsync("", "q1", true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes("x"), ct);
        }
        W("published");
        await server.KillAsync(ct);
        W("killed");
        await server.StartAsync(ct);
        W("restarted");
        for (var i = 0; i < 8; i++)
        {
            W(await server.CtlAsync(["eval", "{catch element(1, sys:get_state('%2F_q1', 1000)), whereis('%2F_q1')}."], ct));
            await Task.Delay(2000, ct);
        }
        // W(await server.CtlAsync(["eval", "ra:members({'%2F_q1', node()})."], ct));
        var root = (string)server.GetType().GetField("_root", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(server)!;
        File.Copy(Path.Combine(root, "log", server.NodeName + ".log"), "/tmp/rabbit-exp.log", true);
    }
}
