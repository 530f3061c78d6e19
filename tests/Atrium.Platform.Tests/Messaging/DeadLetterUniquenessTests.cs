using System.Data.Common;
using System.Text.Json;
using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing;
using Dapper;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// A dead letter is unique per consumer and event, in the shape under test: a redelivered event that fails again,
/// or two stores of one failure at once, leave one row (a unique index, and an insert that yields to it).
/// </summary>
public sealed class DeadLetterUniquenessTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private Dictionary<string, string?> _settings = null!;
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _settings = await ShapeSettings.ForAsync(_dir.Path);
        _host = await PlatformHost.StartAsync(_dir.Path, settings: _settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private Task<long> LettersAsync(long eventId) =>
        _host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_dead_letters WHERE consumer = @consumer AND event_id = @eventId",
            new { consumer = TestConsumers.BrokenConsumer, eventId });

    /// <summary>Nothing of <paramref name="eventId"/> is waiting for the broken consumer any more (in its queue table or broker queue).</summary>
    private async Task<bool> SettledAsync(long eventId)
    {
        if (!TestShape.IsDistributed)
        {
            return await _host.QueuedAsync(eventId) == 0;
        }

        var vhost = Uri.UnescapeDataString(new Uri(_settings["ConnectionStrings:RabbitMQ"]!).AbsolutePath.TrimStart('/'));
        var queues = await (await DistributedServers.RabbitMqAsync()).CtlAsync(
            ["list_queues", "-p", vhost, "--no-table-headers", "name", "messages"], Ct);
        return queues.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(line => line.Split('\t') is [var name, "0"] && name == RabbitMqTopology.QueueFor(TestConsumers.BrokenConsumer));
    }

    [Fact]
    public async Task A_redelivered_event_that_fails_again_keeps_one_dead_letter()
    {
        var marker = TestConsumers.NewMarker();
        var id = await _host.PublishAsync(new Broken(marker));
        await Eventually.HoldsAsync(async () => await LettersAsync(id) == 1 && await SettledAsync(id), "the event was dead-lettered", TimeSpan.FromSeconds(60));

        // The same event delivered again (a relay re-send): it fails its attempts again and is dead-lettered again.
        var envelope = new EventEnvelope(id, Broken.EventType, JsonSerializer.Serialize(new Broken(marker), EventJson.Options), DateTimeOffset.UtcNow);
        await _host.Get<IEventTransport>().SendAsync([envelope], Ct);
        await Eventually.HoldsAsync(async () => TestConsumers.Attempts(marker) == 6 && await SettledAsync(id), "the redelivery failed and settled", TimeSpan.FromSeconds(60));

        Assert.Equal(1L, await LettersAsync(id));
    }

    [Fact]
    public async Task Concurrent_stores_of_one_dead_letter_make_one_row()
    {
        var eventId = Random.Shared.NextInt64(1L << 50, 1L << 60);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); // a fresh letter: the retention sweeper leaves it
        var letter = new NewDeadLetter(TestConsumers.BrokenConsumer, eventId, Broken.EventType, "{}", now, 3, "boom", now);
        using var go = new Barrier(12);
        var stored = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await using var connection = await _host.OpenAsync();
            go.SignalAndWait(Ct);
            try
            {
                return await DeadLetterTable.InsertOnceAsync(connection, letter, Ct);
            }
            catch (DbException)
            {
                return false; // SQLite: a writer that found the database busy stored nothing
            }
        })));

        Assert.Equal(1L, await LettersAsync(eventId));
        Assert.Equal(1, stored.Count(s => s));
    }

    [Fact]
    public async Task The_database_refuses_a_second_dead_letter_for_one_consumer_and_event()
    {
        const string Insert =
            """
            INSERT INTO platform_dead_letters (consumer, event_id, type, payload, occurred_at, attempts, last_error, failed_at)
            VALUES ('test.broken', 42, 'test.broken', '{}', @now, 3, 'boom', @now)
            """;
        var now = new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }; // a fresh letter: the retention sweeper leaves it
        await _host.ExecuteAsync(Insert, now);

        await Assert.ThrowsAnyAsync<DbException>(() => _host.ExecuteAsync(Insert, now));
        Assert.Equal(1L, await LettersAsync(42));
    }
}
