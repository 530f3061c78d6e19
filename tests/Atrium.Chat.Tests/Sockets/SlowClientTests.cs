using System.Diagnostics.Metrics;
using Atrium.Chat.Delivery;
using Atrium.Chat.Sockets;
using Atrium.Chat.Tests.Support;
using Atrium.Platform.Data;
using Atrium.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Atrium.Chat.Tests.Sockets;

/// <summary>
/// A client that stops reading, over real TCP (Kestrel on a loopback port): while messages pour in, the server's
/// writes to it stall on TCP backpressure. The server closes it with 1013 and lets go of it (gone from the hub), in
/// the shape the run selects.
/// </summary>
public sealed class SlowClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_1013_and_released()
    {
        var port = FreePort.Next();
        await using var app = new AtriumApp(new Dictionary<string, string?>
        {
            ["Chat:UserSendsPerSecond"] = "100000",
            ["Chat:UserSendBurst"] = "100000",
            ["Chat:ConversationSendsPerSecond"] = "100000",
            ["Chat:ConversationSendBurst"] = "100000",
            ["Chat:OutboxCapacity"] = "64",
        });
        app.UseKestrel(port);
        app.StartServer();
        using var slowClosed = new SlowClosedCounter(app.Services.GetRequiredService<IMeterFactory>());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var bobsHttp = new HttpClient { BaseAddress = http.BaseAddress };
        var alice = await TestUsers.SignUpAsync(http, Ct);
        var bob = await TestUsers.SignUpAsync(bobsHttp, Ct);
        http.As(alice);
        var id = (await http.CreateConversationAsync([bob.Username])).Id();
        long bobId;
        await using (var connection = await app.Services.GetRequiredService<IDatabase>().OpenPrimaryAsync(Ct))
        {
            bobId = await connection.ExecuteScalarAsync<long>("SELECT id FROM accounts_users WHERE username = @username", new { username = bob.Username });
        }

        var hub = app.Services.GetRequiredService<ConnectionHub>();
        await using var stalled = await StalledClient.HelloAsync(port, bob.AccessToken, Ct);
        Assert.True(hub.IsConnected(bobId));

        // Large messages until the server gives up on bob's socket; bob reads none of them.
        using var flooding = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var text = new string('x', 3_900);
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!flooding.IsCancellationRequested)
            {
                using var response = await http.PostMessageAsync(id, Guid.NewGuid().ToString("N"), text);
            }
        })).ToArray();
        try
        {
            // Filling the kernel's buffers takes a few MB of messages: slow on a busy machine, hence the long bound.
            await Eventually.HoldsAsync(() => slowClosed.Count > 0, "the server to close bob's socket with 1013", TimeSpan.FromMinutes(3));
            await Eventually.HoldsAsync(() => !hub.IsConnected(bobId), "bob's socket to leave the hub (its memory released)");
        }
        finally
        {
            await flooding.CancelAsync();
            await Task.WhenAll(senders.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    /// <summary>Counts <see cref="SocketMetrics.SlowClosedName"/> of one app (its meter factory), not of other apps in the process.</summary>
    private sealed class SlowClosedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public SlowClosedCounter(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == SocketMetrics.SlowClosedName && instrument.Meter.Scope == scope)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
