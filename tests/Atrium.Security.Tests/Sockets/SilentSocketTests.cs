using System.Net.WebSockets;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Sockets;

/// <summary>Sockets that never say hello — many at once — are closed with 4401 and a reason, and the node serves others.</summary>
public sealed class SilentSocketTests(SilentSocketTests.ShortHelloFixture fixture) : IClassFixture<SilentSocketTests.ShortHelloFixture>
{
    [Fact]
    public async Task Sockets_that_never_say_hello_are_closed_with_4401()
    {
        var ct = TestContext.Current.CancellationToken;
        var sockets = new List<TestSocket>();
        for (var i = 0; i < 50; i++)
        {
            sockets.Add(new TestSocket(await fixture.OpenSocketAsync(ct)).StartReading());
        }

        foreach (var socket in sockets)
        {
            await SocketChecks.ClosedWithAsync(socket, (WebSocketCloseStatus)4401);
            await socket.DisposeAsync();
        }

        await SocketChecks.NodeIsHealthyAsync(fixture);
    }

    /// <summary>The hello timeout is shortened (the default is 10 s).</summary>
    public sealed class ShortHelloFixture() : SecurityFixture(new Dictionary<string, string?> { ["Chat:HelloTimeout"] = "00:00:00.300" });
}
