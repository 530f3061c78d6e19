using System.Globalization;
using Atrium.Platform.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atrium.Platform.Redis;

/// <summary>
/// Read-your-writes pins shared by every node: <c>SET atrium:pin:{user} 1 PX window</c>, then <c>EXISTS</c>.
/// Fails safe: when Redis cannot say, the user counts as pinned (reads go to the primary, which is always
/// current); a pin that could not be written is logged (the user's reads may then hit a lagging replica).
/// </summary>
internal sealed partial class RedisWritePins(IConnectionMultiplexer redis, IOptions<DatabaseOptions> options, ILogger<RedisWritePins> logger)
    : IWritePins
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    public static RedisKey Key(long userId) => "atrium:pin:" + userId.ToString(CultureInfo.InvariantCulture);

    public async ValueTask PinAsync(long userId, CancellationToken ct)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(userId), 1, options.Value.ReadYourWritesWindow).WaitAsync(Timeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
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
            return await redis.GetDatabase().KeyExistsAsync(Key(userId)).WaitAsync(Timeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
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
