using System.Globalization;
using Atrium.Platform.Data;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// Read-your-writes pins shared by every node: <c>SET atrium:pin:{user} 1 PX</c> <see cref="DatabaseOptions.PinDuration"/>, then <c>EXISTS</c>.
/// Fails safe: when Redis cannot say, the user counts as pinned (reads go to the primary, which is always
/// current); a pin that could not be written is logged (the user's reads may then hit a lagging replica). Both
/// calls go through the shared Redis pipeline (module <c>platform</c>) and are retried: <c>SET … PX</c> and
/// <c>EXISTS</c> are idempotent.
/// </summary>
internal sealed partial class RedisWritePins(
    IConnectionMultiplexer redis, IOptions<DatabaseOptions> options, DependencyPipelines pipelines, ILogger<RedisWritePins> logger) : IWritePins
{
    private readonly ResiliencePipeline _pipeline = pipelines.Redis("platform", CallKind.Retryable);

    public static RedisKey Key(long userId) => "atrium:pin:" + userId.ToString(CultureInfo.InvariantCulture);

    public async ValueTask PinAsync(long userId, CancellationToken ct)
    {
        var window = options.Value.PinDuration;
        if (window <= TimeSpan.Zero)
        {
            return; // pins off
        }

        try
        {
            await _pipeline.ExecuteAsync(
                async (state, token) => await state.redis.GetDatabase().StringSetAsync(Key(state.userId), 1, state.window).WaitAsync(token),
                (redis, userId, window),
                ct);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            LogPinFailed(logger, userId, ex);
        }
    }

    public async ValueTask<bool> IsPinnedAsync(long userId, CancellationToken ct)
    {
        if (!redis.IsConnected)
        {
            return true;
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                async (state, token) => await state.redis.GetDatabase().KeyExistsAsync(Key(state.userId)).WaitAsync(token),
                (redis, userId),
                ct);
        }
        catch (Exception ex) when (DependencyFailure.IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            LogCheckFailed(logger, userId, ex);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pin user {UserId} to the primary (Redis unavailable).")]
    private static partial void LogPinFailed(ILogger logger, long userId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the pin of user {UserId} (Redis unavailable); reading from the primary.")]
    private static partial void LogCheckFailed(ILogger logger, long userId, Exception exception);
}
