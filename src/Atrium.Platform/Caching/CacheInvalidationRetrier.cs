using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Caching;

/// <summary>
/// Pushes this node's pending invalidations (<see cref="PendingInvalidations"/>) to Redis every
/// <see cref="Interval"/> until Redis takes each one. Stops a round at the first refusal (Redis is still away) and
/// never ends before the host does.
/// </summary>
internal sealed partial class CacheInvalidationRetrier(
    PendingInvalidations pending, ICacheInvalidator invalidator, TimeProvider time, ILogger<CacheInvalidationRetrier> logger) : BackgroundService
{
    /// <summary>How often pending invalidations are pushed again (DESIGN.md §4, Cache).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (invalidator is not RedisCacheInvalidator redis)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
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
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex); // never end the loop: the next round tries again
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis took {Count} pending cache invalidation(s); {Left} left.")]
    private static partial void LogPushed(ILogger logger, int count, int left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of pending cache invalidations failed; retrying.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
