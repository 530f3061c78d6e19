using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Atrium.Platform.RateLimiting;

/// <summary>
/// A Redis-backed limiter that never takes the site down with it: while Redis is disconnected, or when a call
/// fails or takes longer than <see cref="Timeout"/>, the request is allowed (fail open) and the failure logged.
/// Only the asynchronous path talks to Redis: <see cref="AttemptAcquireCore"/> declines without a round trip, and
/// ASP.NET Core's middleware then awaits <see cref="AcquireAsyncCore"/> (no thread blocked on the network).
/// Refusals carry a Retry-After of one refill interval. Reports its idle time so idle partitions are dropped
/// (the bucket itself lives on in Redis).
/// </summary>
internal sealed partial class FailOpenRateLimiter(
    RateLimiter inner, IConnectionMultiplexer redis, TimeSpan refill, TimeProvider time, ILogger<FailOpenRateLimiter> logger) : RateLimiter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);
    private long _lastUsed = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());
        if (!redis.IsConnected)
        {
            return Lease.Allowed;
        }

        try
        {
            using var lease = await inner.AcquireAsync(permitCount, cancellationToken).AsTask().WaitAsync(Timeout, cancellationToken);
            return lease.IsAcquired ? Lease.Allowed : new Lease(false, refill);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailedOpen(logger, ex);
            return Lease.Allowed;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distributed rate limit unavailable (Redis); request allowed.")]
    private static partial void LogFailedOpen(ILogger logger, Exception exception);

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Allowed = new(true, null);
        public static readonly Lease Deferred = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
