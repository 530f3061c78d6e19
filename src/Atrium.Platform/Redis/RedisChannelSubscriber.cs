using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// Keeps one module's channel (<see cref="IRedisChannelHandler"/>) subscribed for as long as the node runs, under the
/// supervisor: the one subscribe-and-retry loop of the Redis channels (DESIGN.md §4, Hosting). A subscription that
/// fails (Redis down) takes its handler back before the supervisor tries again: StackExchange.Redis keeps a failed
/// subscription's handler, so each retry used to add one more and every message was then handled once per failed
/// attempt. Once subscribed, StackExchange.Redis subscribes again by itself after a reconnect; this loop checks the
/// subscription's connection every <see cref="CheckInterval"/> and reports the service failing while it is down
/// (the node is deaf on that channel: pub/sub is at-most-once, messages published meanwhile are lost to it).
/// </summary>
internal sealed partial class RedisChannelSubscriber(
    IRedisChannelHandler handler, IConnectionMultiplexer redis, ServiceSupervisor supervisor, TimeProvider time,
    ILogger<RedisChannelSubscriber> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // Capped at 5 s, not 15: a subscription back after an outage is reported running within 5 s + CheckInterval.
    private static readonly Backoff Retry = Backoff.UpTo(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

    private readonly Action<RedisChannel, RedisValue> _onMessage = (_, message) => handler.OnMessage(message);
    private readonly string _channelName = handler.Channel.ToString();
    private bool _subscribed;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(handler.ServiceName, KeepSubscribedAsync, stoppingToken, Retry);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await UnsubscribeAsync();
    }

    private async Task KeepSubscribedAsync(SupervisedRun run, CancellationToken ct)
    {
        if (!_subscribed)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(handler.Channel, _onMessage);
            }
            catch
            {
                await UnsubscribeAsync();
                throw;
            }

            _subscribed = true;
        }

        while (true)
        {
            if (!redis.GetSubscriber().IsConnected(handler.Channel))
            {
                throw new RedisException(
                    $"Not subscribed to {_channelName}: its connection is down (subscribed again when Redis is back); messages sent meanwhile are lost to this node.");
            }

            if (run.Failures > 0)
            {
                LogSubscribed(logger, handler.ServiceName, _channelName, run.Failures);
                handler.OnResubscribed(); // after the subscription is back, so nothing published from now on is missed
            }

            run.Healthy();
            await Task.Delay(CheckInterval, time, ct);
        }
    }

    /// <summary>Takes the handler back (locally even when Redis is down; the server forgets a closed connection's subscriptions).</summary>
    private async Task UnsubscribeAsync()
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(handler.Channel, _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // the handler is unregistered before the UNSUBSCRIBE is sent, and the connection that would carry it is down
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} is subscribed to {Channel} (again, after {Failures} failed checks)")]
    private static partial void LogSubscribed(ILogger logger, string service, string channel, int failures);
}
