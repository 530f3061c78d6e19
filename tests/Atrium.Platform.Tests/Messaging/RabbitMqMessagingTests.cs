using System.Text.Json;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing.Servers;
using Xunit;
using Atrium.Testing;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// Outbox → relay → RabbitMQ (publisher confirms, quorum queues, dead-letter exchange) → consumers with
/// inbox, on a real broker (one node for the class, a virtual host per test) and a real SQLite database.
/// </summary>
public sealed class RabbitMqMessagingTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Declares_one_quorum_queue_per_consumer_with_a_delivery_limit_and_dead_lettering()
    {
        var (vhost, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var marker = TestConsumers.NewMarker();
        await host.PublishAsync(new Recorded(marker)); // the first publish waits for the topology
        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.Recorder, marker) == 1, "the event was applied", Deadline);

        var queues = (await RabbitMqTestBroker.ListQueuesAsync(broker.Server, vhost, "name", "type", "arguments"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(line => line.Split('\t')[0]);
        Assert.Equal(
            ["atrium.dead-letters", "atrium.test.broken", "atrium.test.flaky", "atrium.test.recorder", "atrium.test.second"],
            queues.Keys.Order(StringComparer.Ordinal));
        Assert.All(queues.Values, line => Assert.Equal("quorum", line.Split('\t')[1]));
        var recorder = queues["atrium.test.recorder"];
        Assert.Contains("x-delivery-limit", recorder, StringComparison.Ordinal);
        Assert.Contains("x-dead-letter-strategy", recorder, StringComparison.Ordinal);
        Assert.Contains("at-least-once", recorder, StringComparison.Ordinal);
        Assert.Contains("reject-publish", recorder, StringComparison.Ordinal);
        Assert.Contains("atrium.dead-letters", recorder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_published_event_is_consumed_once_by_each_consumer_and_a_duplicate_publish_is_applied_once()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var marker = TestConsumers.NewMarker();

        var id = await host.PublishAsync(new Recorded(marker));

        await Eventually.HoldsAsync(async () =>
            await host.EffectsAsync(TestConsumers.Recorder, marker) == 1 && await host.EffectsAsync(TestConsumers.Second, marker) == 1,
            "both consumers applied the event", Deadline);
        await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0, "the relay deleted the outbox row");
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE event_id = @id", new { id }));
        Assert.Equal(0L, await host.QueuedAsync(id)); // the local queue table is not used in this shape

        // The same envelope published again three times (as a relay crash between confirm and delete would),
        // then a fence: the queues are FIFO, so once the fence is applied the duplicates have been handled.
        var envelope = new EventEnvelope(id, Recorded.EventType, JsonSerializer.Serialize(new Recorded(marker), EventJson.Options), DateTimeOffset.UtcNow);
        var transport = host.Get<IEventTransport>();
        await transport.SendAsync([envelope, envelope], Ct);
        await transport.SendAsync([envelope], Ct);
        var fence = TestConsumers.NewMarker();
        await host.PublishAsync(new Recorded(fence));
        await Eventually.HoldsAsync(async () =>
            await host.EffectsAsync(TestConsumers.Recorder, fence) == 1 && await host.EffectsAsync(TestConsumers.Second, fence) == 1,
            "the fence was applied", Deadline);

        Assert.Equal(1L, await host.EffectsAsync(TestConsumers.Recorder, marker));
        Assert.Equal(1L, await host.EffectsAsync(TestConsumers.Second, marker));
        Assert.Equal(1, TestConsumers.Attempts(marker)); // duplicates are skipped before the handler runs
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE event_id = @id", new { id }));
    }

    [Fact]
    public async Task A_consumer_that_fails_twice_is_retried_by_the_queue_and_applies_the_event_once()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var marker = TestConsumers.NewMarker();

        var id = await host.PublishAsync(new Flaky(marker, Failures: 2)); // MaxAttempts is 3: the last attempt succeeds

        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.FlakyConsumer, marker) == 1, "the third attempt applied the event", Deadline);
        Assert.Equal(3, TestConsumers.Attempts(marker));
        Assert.Equal(1L, await host.EffectsAsync(TestConsumers.FlakyConsumer, marker)); // the failed attempts rolled back
        Assert.DoesNotContain(await host.Get<IDeadLetters>().ListAsync(0, 1000, Ct), d => d.EventId == id);
    }

    [Fact]
    public async Task A_consumer_that_always_fails_is_dead_lettered_at_the_delivery_limit_while_others_flow_and_replay_applies_it_once()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var broken = TestConsumers.NewMarker();
        var brokenId = await host.PublishAsync(new Broken(broken));
        var good = Enumerable.Range(0, 20).Select(_ => TestConsumers.NewMarker()).ToList();
        foreach (var marker in good)
        {
            await host.PublishAsync(new Recorded(marker));
        }

        await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM tests_effects WHERE consumer = @consumer AND marker IN @good",
            new { consumer = TestConsumers.Recorder, good }) == good.Count, "the other events were applied", Deadline);
        var deadLetters = host.Get<IDeadLetters>();
        await Eventually.HoldsAsync(async () => (await deadLetters.ListAsync(0, 1000, Ct)).Any(d => d.EventId == brokenId), "the broken event was dead-lettered", Deadline);

        var letter = (await deadLetters.ListAsync(0, 1000, Ct)).Single(d => d.EventId == brokenId);
        Assert.Equal(TestConsumers.BrokenConsumer, letter.Consumer);
        Assert.Equal(Broken.EventType, letter.Type);
        Assert.Contains(broken, letter.Payload, StringComparison.Ordinal);
        Assert.Equal(3, letter.Attempts);
        Assert.StartsWith("System.InvalidOperationException: Broken consumer", letter.LastError, StringComparison.Ordinal); // the handler's own error
        Assert.Equal(3, TestConsumers.Attempts(broken)); // MaxAttempts = 3 deliveries, the last one stores the dead letter
        Assert.Equal(0L, await host.EffectsAsync(TestConsumers.BrokenConsumer, broken));
        Assert.Contains(host.Logs.Entries, entry => entry.Contains(
            $"Event {brokenId} dead-lettered for consumer {TestConsumers.BrokenConsumer} after 3 attempts", StringComparison.Ordinal));

        TestConsumers.Fix(broken);
        Assert.True(await deadLetters.ReplayAsync(letter.Id, Ct));

        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.BrokenConsumer, broken) == 1, "the replayed event was applied", Deadline);
        Assert.Equal(4, TestConsumers.Attempts(broken));
        Assert.DoesNotContain(await deadLetters.ListAsync(0, 1000, Ct), d => d.EventId == brokenId);
        Assert.False(await deadLetters.ReplayAsync(letter.Id, Ct)); // a replayed letter is gone
        Assert.Equal(0L, await host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM tests_effects WHERE consumer = @consumer AND marker IN @good GROUP BY marker HAVING COUNT(*) > 1",
            new { consumer = TestConsumers.Recorder, good }));
    }

    [Fact]
    public async Task Events_without_consumers_leave_the_outbox()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);

        var id = await host.PublishAsync(new Unheard(TestConsumers.NewMarker()));

        await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0, "the relay took the row", Deadline);
    }
}
