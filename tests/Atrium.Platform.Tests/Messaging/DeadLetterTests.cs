using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Xunit;
using Atrium.Testing;

namespace Atrium.Platform.Tests.Messaging;

public sealed class DeadLetterTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static async Task<DeadLetter?> FindAsync(PlatformHost host, long eventId) =>
        (await host.Get<IDeadLetters>().ListAsync(0, 10_000, Ct)).SingleOrDefault(d => d.EventId == eventId);

    [Fact]
    public async Task A_consumer_that_always_fails_dead_letters_the_event_and_replay_after_the_fix_applies_it_once()
    {
        await using var host = await PlatformHost.StartAsync(_dir.Path);
        var broken = TestConsumers.NewMarker();
        var good = Enumerable.Range(0, 5).Select(_ => TestConsumers.NewMarker()).ToList();

        var brokenId = await host.PublishAsync(new Broken(broken));
        foreach (var marker in good)
        {
            await host.PublishAsync(new Recorded(marker));
        }

        // Other events flow; the broken one ends in the dead letters after MaxAttempts (3) attempts.
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var marker in good)
            {
                if (await host.EffectsAsync(TestConsumers.Recorder, marker) != 1)
                {
                    return false;
                }
            }

            return true;
        }, "the good events were applied");
        await Eventually.HoldsAsync(async () => await FindAsync(host, brokenId) is not null, "the broken event was dead-lettered");

        var letter = (await FindAsync(host, brokenId))!;
        Assert.Equal(TestConsumers.BrokenConsumer, letter.Consumer);
        Assert.Equal(Broken.EventType, letter.Type);
        Assert.Equal(3, letter.Attempts);
        Assert.Contains("Broken consumer, attempt 3", letter.LastError, StringComparison.Ordinal);
        Assert.Contains(broken, letter.Payload, StringComparison.Ordinal);
        Assert.Equal(3, TestConsumers.Attempts(broken));
        Assert.Equal(0L, await host.QueuedAsync(brokenId));
        Assert.Equal(0L, await host.EffectsAsync(TestConsumers.BrokenConsumer, broken));
        Assert.Contains(host.Logs.Entries, entry => entry.Contains(
            $"Event {brokenId} dead-lettered for consumer {TestConsumers.BrokenConsumer} after 3 attempts", StringComparison.Ordinal));

        TestConsumers.Fix(broken);
        Assert.True(await host.Get<IDeadLetters>().ReplayAsync(letter.Id, Ct));

        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.BrokenConsumer, broken) == 1, "the replayed event was applied");
        await Eventually.HoldsAsync(async () => await host.QueuedAsync(brokenId) == 0, "the replayed delivery left the queue");
        Assert.Equal(1L, await host.EffectsAsync(TestConsumers.BrokenConsumer, broken));
        Assert.Equal(4, TestConsumers.Attempts(broken));
        Assert.Null(await FindAsync(host, brokenId));
        Assert.False(await host.Get<IDeadLetters>().ReplayAsync(letter.Id, Ct)); // a replayed letter is gone
    }

    [Fact]
    public async Task A_failing_event_waiting_for_its_retry_does_not_hold_up_the_events_behind_it()
    {
        // Retries a day apart: the failed delivery sits in the queue for the whole test.
        await using var host = await PlatformHost.StartAsync(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Atrium:Messaging:RetryBaseDelay"] = "1.00:00:00",
            ["Atrium:Messaging:RetryMaxDelay"] = "1.00:00:00",
        });
        var broken = TestConsumers.NewMarker();
        var brokenId = await host.PublishAsync(new Broken(broken));
        await Eventually.HoldsAsync(async () => TestConsumers.Attempts(broken) >= 1 && await host.ScalarAsync<long>(
            "SELECT attempts FROM platform_queue WHERE event_id = @brokenId", new { brokenId }) >= 1, "the first attempt failed");

        var good = Enumerable.Range(0, 20).Select(_ => TestConsumers.NewMarker()).ToList();
        foreach (var marker in good)
        {
            await host.PublishAsync(new Recorded(marker));
        }

        await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM tests_effects WHERE consumer = @consumer AND marker IN @good",
            new { consumer = TestConsumers.Recorder, good }) == good.Count, "the later events were applied");
        Assert.Equal(1L, await host.QueuedAsync(brokenId));
        Assert.Contains("Broken consumer", await host.ScalarAsync<string>(
            "SELECT last_error FROM platform_queue WHERE event_id = @brokenId", new { brokenId }), StringComparison.Ordinal);
        Assert.Null(await FindAsync(host, brokenId));
    }

    [Fact]
    public async Task A_delivery_for_an_unknown_consumer_is_dead_lettered_at_once()
    {
        await using var host = await PlatformHost.StartAsync(_dir.Path);
        await host.ExecuteAsync(
            """
            INSERT INTO platform_queue (consumer, event_id, type, payload, occurred_at, next_attempt_at)
            VALUES ('test.nobody', 4242, 'test.recorded', '{"marker":"x"}', 0, 0)
            """);

        await Eventually.HoldsAsync(async () => await FindAsync(host, 4242) is not null, "the orphan delivery was dead-lettered");
        var letter = (await FindAsync(host, 4242))!;
        Assert.Equal("test.nobody", letter.Consumer);
        Assert.Equal(1, letter.Attempts);
        Assert.Contains("No consumer named 'test.nobody'", letter.LastError, StringComparison.Ordinal);
        Assert.Equal(0L, await host.QueuedAsync(4242));
    }

    [Fact]
    public async Task ListAsync_pages_oldest_first_by_cursor_and_ReplayAsync_refuses_unknown_ids()
    {
        // Consumer 'test.parked' is not registered, so a replayed letter is not consumed while we look.
        await using var host = await PlatformHost.StartAsync(_dir.Path);
        // Recent instants: the retention sweeper deletes dead letters older than its window while the test runs.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 1; i <= 5; i++)
        {
            await host.ExecuteAsync(
                """
                INSERT INTO platform_dead_letters (consumer, event_id, type, payload, occurred_at, attempts, last_error, failed_at)
                VALUES ('test.parked', @i, 'test.recorded', '{}', @occurred, 3, 'boom ' || @i, @failed)
                """,
                new { i, occurred = now - 100_000 + i, failed = now + i });
        }

        var deadLetters = host.Get<IDeadLetters>();
        var first = await deadLetters.ListAsync(0, 2, Ct);
        var second = await deadLetters.ListAsync(first[^1].Id, 2, Ct);
        var third = await deadLetters.ListAsync(second[^1].Id, 2, Ct);

        Assert.Equal([1L, 2L], first.Select(d => d.EventId));
        Assert.Equal([3L, 4L], second.Select(d => d.EventId));
        Assert.Equal([5L], third.Select(d => d.EventId));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now - 100_000 + 1), first[0].OccurredAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now + 1), first[0].FailedAt);
        Assert.Equal("boom 1", first[0].LastError);
        Assert.False(await deadLetters.ReplayAsync(third[^1].Id + 1000, Ct));
    }
}
