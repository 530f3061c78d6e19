using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using StackExchange.Redis;

namespace Atrium.Platform.RateLimiting;

/// <summary>
/// A Redis-backed limiter that never takes the site down with it: while Redis is disconnected, or when a call
/// fails, takes longer than the shared Redis pipeline's timeout (250 ms) or is rejected by it (circuit open: no
/// round trip at all; the <c>ratelimit</c> bulkhead full), the request is allowed (fail open) and the failure logged
/// (an open circuit is not logged per request: the circuit's transition is). The script is never retried.
/// Only the asynchronous path talks to Redis: <see cref="AttemptAcquireCore"/> declines without a round trip, and
/// ASP.NET Core's middleware then awaits <see cref="AcquireAsyncCore"/> (no thread blocked on the network).
/// Refusals carry a Retry-After of one refill interval. Reports its idle time so idle partitions are dropped
/// (the bucket itself lives on in Redis).
/// </summary>
internal sealed partial class FailOpenRateLimiter(
    RateLimiter inner, IConnectionMultiplexer redis, ResiliencePipeline pipeline, TimeSpan refill, TimeProvider time, ILogger<FailOpenRateLimiter> logger)
    : RateLimiter
{
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
            var acquired = await pipeline.ExecuteAsync(
                async (state, ct) =>
                {
                    using var lease = await state.inner.AcquireAsync(state.permitCount, ct).AsTask().WaitAsync(ct);
                    return lease.IsAcquired;
                },
                (inner, permitCount),
                cancellationToken);
            return acquired ? Lease.Allowed : new Lease(false, refill);
        }
        catch (ExecutionRejectedException ex) when (ex is not TimeoutRejectedException)
        {
            return Lease.Allowed; // circuit open or bulkhead full
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
