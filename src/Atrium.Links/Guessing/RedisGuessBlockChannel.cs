using System.Globalization;
using Atrium.Platform.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Links.Guessing;

/// <summary>
/// The cluster shape: a block is published on <c>atrium:links:guess-blocks</c> ("client until-unix-ms") and every node
/// records it in its own <see cref="GuessBlocks"/>, so its redirects refuse that client without asking Redis. The end
/// is an instant, not a duration, so a message heard late (or a node hearing its own) does not extend the block;
/// nodes' clocks are assumed to agree within seconds (NTP), which is all a block's length then varies by.
/// Pub/sub is at-most-once: a node cut off while a block is announced learns it at that client's next miss there
/// (the shared budget is empty, so the miss is refused and blocks the client on that node too).
/// </summary>
internal sealed partial class RedisGuessBlockChannel(
    IConnectionMultiplexer redis, GuessBlocks blocks, TimeProvider time, ILogger<RedisGuessBlockChannel> logger)
    : IRedisChannelHandler, IGuessBlockAnnouncer
{
    public const string ChannelName = "atrium:links:guess-blocks";
    private static readonly RedisChannel BlocksChannel = RedisChannel.Literal(ChannelName);
    private const long MaxBlockMs = 7 * 24 * 3600 * 1000L; // a sanity bound on what a message may ask for
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMilliseconds(250);

    public async ValueTask AnnounceAsync(string client, long untilMs, CancellationToken cancellationToken)
    {
        try
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"{client} {untilMs}");
            await redis.GetSubscriber().PublishAsync(BlocksChannel, message).WaitAsync(PublishTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogAnnounceFailed(logger, ex);
        }
    }

    public string ServiceName => "links.guess-block-subscriber";

    public RedisChannel Channel => BlocksChannel;

    public void OnMessage(RedisValue message)
    {
        var text = message.ToString();
        var space = text.LastIndexOf(' ');
        if (space > 0
            && long.TryParse(text.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs)
            && untilMs - time.GetUtcNow().ToUnixTimeMilliseconds() <= MaxBlockMs)
        {
            blocks.BlockUntil(text[..space], untilMs);
        }
        else
        {
            LogBadMessage(logger, text);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Links: announcing a guessing block to the other nodes failed; they learn it at the client's next miss")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Links: ignored a malformed guessing block message '{Message}'")]
    private static partial void LogBadMessage(ILogger logger, string message);
}
