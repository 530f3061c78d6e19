using System.Threading.RateLimiting;
using Atrium.Platform.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Links.Guessing;

/// <summary>
/// Throttles short-code guessing. Every client (its address behind the trusted proxies, an IPv6 client's /64: see
/// <see cref="GuessClient"/>) has a budget of <see cref="LinksOptions.GuessLimitMisses"/> unknown codes, refilled evenly over
/// <see cref="LinksOptions.GuessLimitWindow"/>. Only misses draw on it. A client that runs out is blocked for a whole
/// window: every redirect and preview it asks for answers 429 — hits too, or 429 against 302 would still tell it
/// which codes exist.
/// <para>
/// The budget is a token bucket in this process and, in the cluster, also one in Redis (Platform's distributed
/// limiter, which fails open), so it holds across nodes and still per node while Redis is away. A block is kept in
/// memory on every node (<see cref="GuessBlocks"/>, announced through <see cref="IGuessBlockAnnouncer"/>): a hit never
/// calls Redis, and costs one volatile read while nobody is blocked.
/// </para>
/// </summary>
internal sealed partial class GuessThrottle : IDisposable
{
    public const string Policy = "links-guess";

    private readonly GuessBlocks _blocks;
    private readonly IGuessBlockAnnouncer _announcer;
    private readonly LinksMetrics _metrics;
    private readonly ILogger<GuessThrottle> _logger;
    private readonly TimeSpan _window;
    private readonly TokenBucketRateLimiterOptions _bucket;
    private readonly PartitionedRateLimiter<string>? _local;
    private readonly PartitionedRateLimiter<string>? _shared;

    public GuessThrottle(
        GuessBlocks blocks,
        IGuessBlockAnnouncer announcer,
        LinksMetrics metrics,
        IOptions<LinksOptions> options,
        IServiceProvider services,
        ILogger<GuessThrottle> logger)
    {
        _blocks = blocks;
        _announcer = announcer;
        _metrics = metrics;
        _logger = logger;
        var misses = options.Value.GuessLimitMisses;
        _window = options.Value.GuessLimitWindow;
        _bucket = Bucket(Math.Max(1, misses), _window);
        if (misses <= 0 || _window <= TimeSpan.Zero)
        {
            return; // off
        }

        _local = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => _bucket));
        _shared = SharedTokenBuckets.Create(services, Policy, _bucket);
    }

    /// <summary>True, with how long it lasts, when the caller is blocked; no I/O, no allocation while nobody is.</summary>
    public bool IsBlocked(HttpContext http, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_blocks.IsEmpty || !_blocks.TryGetBlock(GuessClient.Of(http), out retryAfter))
        {
            return false;
        }

        _metrics.GuessesRefused.Add(1);
        return true;
    }

    /// <summary>
    /// Charges the caller one miss; when its budget is spent, blocks it for a window (here and, announced, on the
    /// other nodes) and returns that window.
    /// </summary>
    public async ValueTask<TimeSpan?> RecordMissAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (_local is null)
        {
            return null;
        }

        var client = GuessClient.Of(http);
        bool allowed;
        using (var local = _local.AttemptAcquire(client))
        {
            allowed = local.IsAcquired;
        }

        if (allowed && _shared is not null)
        {
            using var shared = await _shared.AcquireAsync(client, 1, cancellationToken);
            allowed = shared.IsAcquired;
        }

        if (allowed)
        {
            return null;
        }

        var until = _blocks.Block(client, _window);
        _metrics.GuessBlocks.Add(1);
        _metrics.GuessesRefused.Add(1);
        LogBlocked(_logger, client, _bucket.TokenLimit, _window);
        await _announcer.AnnounceAsync(client, until, cancellationToken);
        return _window;
    }

    public void Dispose()
    {
        _local?.Dispose();
        _shared?.Dispose();
    }

    /// <summary>Up to <paramref name="misses"/> at once, refilled one at a time over <paramref name="window"/>.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int misses, TimeSpan window) => new()
    {
        TokenLimit = misses,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (window / misses).Ticks)),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Links: {Client} tried more than {Misses} unknown short codes; redirects refused for {Window}")]
    private static partial void LogBlocked(ILogger logger, string client, int misses, TimeSpan window);
}
