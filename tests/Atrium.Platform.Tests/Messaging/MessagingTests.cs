using System.Text.Json;
using Atrium.Platform.Ids;
using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Xunit;
using Atrium.Testing;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>Outbox → relay → local queue → consumers with inbox, end to end on a real SQLite database.</summary>
public sealed class MessagingTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PlatformHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task An_event_published_in_a_committed_transaction_reaches_its_consumer()
    {
        var marker = TestConsumers.NewMarker();

        var id = await _host.PublishAsync(new Recorded(marker));

        await Eventually.HoldsAsync(async () => await _host.EffectsAsync(TestConsumers.Recorder, marker) == 1, "the consumer applied the event");
        Assert.Equal(id, await _host.ScalarAsync<long>("SELECT event_id FROM tests_effects WHERE marker = @marker AND consumer = @consumer", new { marker, consumer = TestConsumers.Recorder }));
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(id) == 0, "the delivery left the queue");
        await Eventually.HoldsAsync(async () => await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0, "the relay deleted the outbox row");
        Assert.Equal(1L, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE consumer = @consumer AND event_id = @id", new { consumer = TestConsumers.Recorder, id }));
        Assert.Equal(1, TestConsumers.Attempts(marker));
    }

    [Fact]
    public async Task An_event_published_in_a_rolled_back_transaction_never_reaches_a_consumer()
    {
        var rolledBack = TestConsumers.NewMarker();
        var fence = TestConsumers.NewMarker();

        var lostId = await _host.PublishAsync(new Recorded(rolledBack), commit: false);
        var fenceId = await _host.PublishAsync(new Recorded(fence));

        // The later, committed event went all the way through; the rolled-back one left no trace anywhere.
        await Eventually.HoldsAsync(async () =>
            await _host.EffectsAsync(TestConsumers.Recorder, fence) == 1 && await _host.EffectsAsync(TestConsumers.Second, fence) == 1,
            "the fence event was applied by both consumers");
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(fenceId) == 0, "the fence left the queue");
        Assert.Equal(0L, await _host.EffectsAsync(TestConsumers.Recorder, rolledBack));
        Assert.Equal(0L, await _host.EffectsAsync(TestConsumers.Second, rolledBack));
        Assert.Equal(0, TestConsumers.Attempts(rolledBack));
        Assert.Equal(0L, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @lostId", new { lostId }));
        Assert.Equal(0L, await _host.QueuedAsync(lostId));
        Assert.Equal(0L, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE event_id = @lostId", new { lostId }));
    }

    [Fact]
    public async Task One_event_reaches_each_of_its_two_consumers_once()
    {
        var marker = TestConsumers.NewMarker();

        var id = await _host.PublishAsync(new Recorded(marker));

        await Eventually.HoldsAsync(async () =>
            await _host.EffectsAsync(TestConsumers.Recorder, marker) == 1 && await _host.EffectsAsync(TestConsumers.Second, marker) == 1,
            "both consumers applied the event");
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(id) == 0, "both deliveries left the queue");
        Assert.Equal(2L, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE event_id = @id", new { id }));
        Assert.Equal(2L, await _host.ScalarAsync<long>("SELECT COUNT(*) FROM tests_effects WHERE marker = @marker", new { marker }));
    }

    [Fact]
    public async Task A_duplicate_delivery_is_applied_once()
    {
        var marker = TestConsumers.NewMarker();
        var envelope = new EventEnvelope(
            _host.Get<SnowflakeIds>().Next(), Recorded.EventType, JsonSerializer.Serialize(new Recorded(marker), EventJson.Options), DateTimeOffset.UtcNow);
        var transport = _host.Get<IEventTransport>();

        // Sent twice in one batch and once more in another, before anything was processed...
        await transport.SendAsync([envelope, envelope], Ct);
        await transport.SendAsync([envelope], Ct);
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(envelope.Id) == 0, "the queue drained");

        // ...then again after it was applied: by the transport and by hand into the queue table.
        await transport.SendAsync([envelope], Ct);
        await _host.ExecuteAsync(
            """
            INSERT INTO platform_queue (consumer, event_id, type, payload, occurred_at, next_attempt_at)
            VALUES (@consumer, @Id, @Type, @Payload, 0, 0) ON CONFLICT DO NOTHING
            """,
            new { consumer = TestConsumers.Recorder, envelope.Id, envelope.Type, envelope.Payload });
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(envelope.Id) == 0, "the duplicates left the queue");

        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.Recorder, marker));
        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.Second, marker));
        Assert.Equal(1, TestConsumers.Attempts(marker)); // duplicates are skipped before the handler runs
    }

    [Fact]
    public async Task An_outbox_row_relayed_again_after_a_crash_is_applied_once()
    {
        var marker = TestConsumers.NewMarker();
        var id = await _host.PublishAsync(new Recorded(marker));
        await Eventually.HoldsAsync(async () => await _host.EffectsAsync(TestConsumers.Recorder, marker) == 1, "the event was applied");
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(id) == 0, "the queue drained");
        await Eventually.HoldsAsync(async () => await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0, "the relay deleted the row");

        // As if the relay had crashed after the transport accepted the row but before deleting it.
        await _host.ExecuteAsync(
            "INSERT INTO platform_outbox (id, type, payload, occurred_at) VALUES (@id, @type, @payload, 0)",
            new { id, type = Recorded.EventType, payload = JsonSerializer.Serialize(new Recorded(marker), EventJson.Options) });
        _host.Get<OutboxRelay>().Wake();
        await Eventually.HoldsAsync(async () =>
            await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0 && await _host.QueuedAsync(id) == 0,
            "the re-sent row was relayed and its deliveries consumed");

        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.Recorder, marker));
        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.Second, marker));
    }

    [Fact]
    public async Task A_consumer_that_fails_twice_is_retried_and_applies_the_event_once()
    {
        var marker = TestConsumers.NewMarker();

        var id = await _host.PublishAsync(new Flaky(marker, Failures: 2));

        await Eventually.HoldsAsync(async () => await _host.EffectsAsync(TestConsumers.FlakyConsumer, marker) == 1, "the third attempt applied the event");
        await Eventually.HoldsAsync(async () => await _host.QueuedAsync(id) == 0, "the delivery left the queue");
        Assert.Equal(3, TestConsumers.Attempts(marker));
        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.FlakyConsumer, marker)); // the failed attempts' writes rolled back
        Assert.DoesNotContain(await _host.Get<IDeadLetters>().ListAsync(0, 1000, Ct), d => d.EventId == id);
    }

    [Fact]
    public async Task Events_without_consumers_leave_the_outbox_and_queue_nothing()
    {
        var id = await _host.PublishAsync(new Unheard(TestConsumers.NewMarker()));

        await Eventually.HoldsAsync(async () => await _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id = @id", new { id }) == 0, "the relay took the row");
        Assert.Equal(0L, await _host.QueuedAsync(id));
    }

    [Fact]
    public async Task Two_hosts_consuming_one_database_apply_every_event_exactly_once()
    {
        await using var other = await PlatformHost.StartAsync(_dir.Path);
        var markers = Enumerable.Range(0, 60).Select(_ => TestConsumers.NewMarker()).ToList();

        var ids = new List<long>();
        for (var i = 0; i < markers.Count; i++)
        {
            ids.Add(await (i % 2 == 0 ? _host : other).PublishAsync(new Recorded(markers[i])));
        }

        await Eventually.HoldsAsync(async () => await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM platform_inbox WHERE event_id IN @ids", new { ids }) == 2 * ids.Count, "every delivery was applied");
        await Eventually.HoldsAsync(async () => await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM platform_queue WHERE event_id IN @ids", new { ids }) == 0, "the queue drained");
        var effects = await _host.QueryAsync<(string Consumer, string Marker, long Count)>(
            "SELECT consumer, marker, COUNT(*) FROM tests_effects WHERE marker IN @markers GROUP BY consumer, marker", new { markers });
        Assert.Equal(2 * markers.Count, effects.Count);
        Assert.All(effects, e => Assert.Equal(1L, e.Count));
    }
}
