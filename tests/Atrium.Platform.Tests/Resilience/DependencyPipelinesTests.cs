using Atrium.Platform.Resilience;
using Atrium.Testing.Servers;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using StackExchange.Redis;
using Xunit;

namespace Atrium.Platform.Tests.Resilience;

/// <summary>
/// The shared Redis pipeline (docs/resilience.md): one breaker for every module, a bulkhead per module, retries only
/// for retryable calls. The breaker tests run on a fake clock, so no timeout fires by itself and the break ends when
/// the test moves the clock.
/// </summary>
public sealed class DependencyPipelinesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_Redis_outage_opens_one_breaker_that_every_module_sees_and_it_closes_after_recovery()
    {
        await using var server = await RedisServer.StartNewAsync(Ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Atrium.Platform.Redis.RedisConnection.Options(server.ConnectionString));
        var time = new FakeTimeProvider();
        var pipelines = Pipelines.Create(time, out var metrics);
        var feed = pipelines.Redis("feed", CallKind.Once);
        var chat = pipelines.Redis("chat", CallKind.Once);
        await feed.ExecuteAsync(async ct => await redis.GetDatabase().PingAsync().WaitAsync(ct), Ct);
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.Redis));

        await server.StopAsync(Ct);
        for (var i = 0; i < RedisResilience.Breaker.MinimumThroughput && metrics.StateOf(Dependency.Redis) == CircuitState.Closed; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await feed.ExecuteAsync(async ct => await redis.GetDatabase().PingAsync().WaitAsync(ct), Ct));
        }

        Assert.Equal(CircuitState.Open, metrics.StateOf(Dependency.Redis));
        var chatCalls = 0;
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await chat.ExecuteAsync(ct =>
        {
            chatCalls++;
            return ValueTask.CompletedTask;
        }, Ct));
        Assert.Equal(0, chatCalls); // the chat module did not touch the network: the feed's failures opened its circuit too
        Assert.True(DependencyFailure.IsUnavailable(new BrokenCircuitException()));

        await server.StartAsync(Ct);
        time.Advance(RedisResilience.Breaker.BreakDuration);
        await Atrium.Testing.Eventually.ReachesAsync(
            async () =>
            {
                try
                {
                    await chat.ExecuteAsync(async ct => await redis.GetDatabase().PingAsync().WaitAsync(ct), Ct);
                }
                catch (Exception ex) when (DependencyFailure.IsUnavailable(ex))
                {
                    time.Advance(RedisResilience.Breaker.BreakDuration); // the trial failed (still reconnecting): next break
                }

                return metrics.StateOf(Dependency.Redis);
            },
            state => state == CircuitState.Closed,
            "a half-open trial to succeed once Redis answers again");
    }

    [Fact]
    public async Task A_modules_full_bulkhead_rejects_its_calls_at_once_while_other_modules_calls_go_through()
    {
        var pipelines = Pipelines.Create(new FakeTimeProvider(), out var metrics); // fake clock: the held calls never time out
        var feed = pipelines.Redis("feed", CallKind.Once);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Enumerable.Range(0, RedisResilience.BulkheadPermits + RedisResilience.BulkheadQueue)
            .Select(_ => feed.ExecuteAsync(async ct => await hung.Task.WaitAsync(ct), Ct).AsTask())
            .ToList();

        var ran = false;
        await Assert.ThrowsAsync<RateLimiterRejectedException>(async () => await feed.ExecuteAsync(_ =>
        {
            ran = true;
            return ValueTask.CompletedTask;
        }, Ct));
        Assert.False(ran);

        var linksRan = false;
        await pipelines.Redis("links", CallKind.Once).ExecuteAsync(_ =>
        {
            linksRan = true;
            return ValueTask.CompletedTask;
        }, Ct);
        Assert.True(linksRan); // another module's bulkhead is its own
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.Redis)); // rejections are not dependency failures

        hung.SetResult();
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task Retryable_calls_are_retried_after_a_transient_failure_and_once_calls_are_not()
    {
        var pipelines = Pipelines.Create(TimeProvider.System, out _); // real clock: the retry waits its (short) backoff
        var attempts = 0;
        var result = await pipelines.Redis("feed", CallKind.Retryable).ExecuteAsync(_ => ++attempts == 1
            ? throw new TimeoutException("injected: no reply")
            : ValueTask.FromResult("ok"), Ct);
        Assert.Equal("ok", result);
        Assert.Equal(2, attempts);

        attempts = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await pipelines.Redis("ratelimit", CallKind.Once).ExecuteAsync<string>(
            _ => ++attempts == 1 ? throw new TimeoutException("injected: no reply") : ValueTask.FromResult("ok"), Ct));
        Assert.Equal(1, attempts); // a token-bucket script after a lost reply would take tokens twice

        attempts = 0;
        await Assert.ThrowsAsync<RedisServerException>(async () => await pipelines.Redis("feed", CallKind.Retryable).ExecuteAsync<string>(
            _ => ++attempts == 1 ? throw ServerError() : ValueTask.FromResult("ok"), Ct));
        Assert.Equal(1, attempts); // a server error fails the same way every time: not retried
    }

#pragma warning disable CS0618 // the client makes these itself; a test has only the message-only constructor
    private static RedisServerException ServerError() => new("ERR Error running script");
#pragma warning restore CS0618
}
