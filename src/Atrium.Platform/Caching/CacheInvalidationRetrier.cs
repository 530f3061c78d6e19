using Atrium.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Caching;

/// <summary>
/// Pushes this node's pending invalidations (<see cref="PendingInvalidations"/>) to Redis every
/// <see cref="Interval"/> until Redis takes each one. Stops a round at the first refusal (Redis is still away) and
/// never ends before the host does.
/// </summary>
internal sealed partial class CacheInvalidationRetrier(
    PendingInvalidations pending, ICacheInvalidator invalidator, TimeProvider time, ServiceSupervisor supervisor,
    ILogger<CacheInvalidationRetrier> logger) : BackgroundService
{
    /// <summary>How often pending invalidations are pushed again (DESIGN.md §4, Cache).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public const string ServiceName = "platform.cache-invalidation-retrier";

    // Redis refusing a push is not a failure of this service (the key stays pending); anything else that breaks a
    // round is, and the supervisor runs the loop again after its backoff.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (invalidator is not RedisCacheInvalidator redis)
        {
            return Task.CompletedTask;
        }

        return supervisor.RunAsync(ServiceName, async (run, ct) =>
        {
            while (true)
            {
                await Task.Delay(Interval, time, ct);
                var taken = 0;
                foreach (var (key, sequence) in pending.Snapshot())
                {
                    if (!await redis.TryPushAsync(key, sequence))
                    {
                        break;
                    }

                    taken++;
                }

                if (taken > 0)
                {
                    LogPushed(logger, taken, pending.Count);
                }

                run.Healthy();
            }
        }, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis took {Count} pending cache invalidation(s); {Left} left.")]
    private static partial void LogPushed(ILogger logger, int count, int left);
}
