using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Atrium.Platform.Caching;

/// <summary>
/// The Redis L2 behind HybridCache, made safe to lose: every call runs through the shared Redis pipeline
/// (<see cref="Resilience.DependencyPipelines.Redis"/>, module <c>cache</c>: bulkhead, circuit breaker, 250 ms timeout;
/// no retry, because a miss costs one database read, less than a retry's wait). A failed read is a miss (HybridCache then reads the database); a failed write or
/// remove is logged and counted done (the entry expires from Redis by itself, or is deleted by the next write).
/// While the circuit is open no call reaches the network, so a Redis outage costs the site nothing but L2 hits.
/// A key whose invalidation Redis has not taken yet (<see cref="PendingInvalidations"/>) is a miss here.
/// </summary>
internal sealed partial class ResilientDistributedCache(
    IDistributedCache inner, ResiliencePipeline pipeline, PendingInvalidations pending, ILogger<ResilientDistributedCache> logger)
    : IDistributedCache
{
    public byte[]? Get(string key) => GetCoreAsync(key, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GetCoreAsync(key, token).AsTask();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync("set", key, ct => new ValueTask(inner.SetAsync(key, value, options, ct).WaitAsync(ct)), token).AsTask();

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        RunAsync("refresh", key, ct => new ValueTask(inner.RefreshAsync(key, ct).WaitAsync(ct)), token).AsTask();

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        L2Scope.LocalOnly
            ? Task.CompletedTask // another node has deleted it from Redis already; only our L1 is being cleared
            : RunAsync("remove", key, ct => new ValueTask(inner.RemoveAsync(key, ct).WaitAsync(ct)), token).AsTask();

    private async ValueTask<byte[]?> GetCoreAsync(string key, CancellationToken token)
    {
        if (pending.Contains(key))
        {
            return null; // this node invalidated it and Redis has not taken that yet: the L2 entry may be the old value
        }

        try
        {
            // WaitAsync: StackExchange.Redis does not observe cancellation, so the timeout cuts the wait instead.
            return await pipeline.ExecuteAsync(async ct => await inner.GetAsync(key, ct).WaitAsync(ct), token);
        }
        catch (ExecutionRejectedException ex) when (ex is not TimeoutRejectedException)
        {
            return null; // circuit open or bulkhead full: a miss, without a log line per call
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            LogFailed(logger, "get", key, ex);
            return null;
        }
    }

    private async ValueTask RunAsync(string operation, string key, Func<CancellationToken, ValueTask> call, CancellationToken token)
    {
        try
        {
            await pipeline.ExecuteAsync(call, token);
        }
        catch (ExecutionRejectedException ex) when (ex is not TimeoutRejectedException)
        {
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            LogFailed(logger, operation, key, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis L2 {Operation} of {Key} failed; served without L2.")]
    private static partial void LogFailed(ILogger logger, string operation, string key, Exception exception);
}
