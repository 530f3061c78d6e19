using System.Text.Json;
using System.Diagnostics.Metrics;
using Atrium.Platform.Hosting;
using Atrium.Platform.Idempotency;
using Atrium.Platform.Messaging;
using Atrium.Platform.Retention;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Platform.Tests.Retention;

/// <summary>
/// The retention sweeper, running in a real host on a fake clock, in the shape under test: each Platform table that
/// grows with traffic keeps its rows for its window and loses them after it. The clock moves one sweep interval per
/// poll, so every assertion waits for the sweeper's own loop; margins of an hour keep those steps from mattering.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Margin = TimeSpan.FromHours(1);
    private static readonly TimeSpan InboxWindow = TimeSpan.FromDays(14);
    private static readonly TimeSpan DeadLetterWindow = TimeSpan.FromDays(7);

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _host = await PlatformHost.StartAsync(_dir.Path, _clock, await ShapeSettings.ForAsync(_dir.Path, new Dictionary<string, string?>
        {
            ["Atrium:Retention:Interval"] = "00:00:01",
            ["Atrium:Retention:BatchSize"] = "100",
        }));

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private long Ms(TimeSpan ago) => (_clock.GetUtcNow() - ago).ToUnixTimeMilliseconds();

    /// <summary>Moves the clock one sweep interval per poll until <paramref name="condition"/> holds.</summary>
    private Task SweptAsync(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(async () =>
        {
            _clock.Advance(Interval);
            return await condition();
        }, what);

    private Task<long> CountAsync(string sql, object? parameters = null) => _host.ScalarAsync<long>(sql, parameters);

    [Fact]
    public async Task A_redelivery_inside_the_inbox_window_is_still_skipped_and_the_inbox_row_is_swept_after_it()
    {
        var runner = _host.Get<ConsumerRunner>();
        var recorder = _host.Get<ConsumerCatalog>().ByName[TestConsumers.Recorder];
        var marker = TestConsumers.NewMarker();
        var envelope = new EventEnvelope(
            Random.Shared.NextInt64(1L << 50, 1L << 60), Recorded.EventType,
            JsonSerializer.Serialize(new Recorded(marker), EventJson.Options), _clock.GetUtcNow());

        async Task<bool> DeliverAsync()
        {
            await using var connection = await _host.OpenAsync();
            return await runner.ApplyAsync(recorder, envelope, connection, null, Ct);
        }

        Assert.True(await DeliverAsync());

        // An hour short of the window, and after a sweep has certainly run (a row older than the window is gone):
        // the inbox still has the event, so a redelivery is skipped.
        _clock.Advance(InboxWindow - Margin);
        await _host.ExecuteAsync(
            "INSERT INTO platform_inbox (consumer, event_id, processed_at) VALUES ('test.sentinel', 1, @at)", new { at = Ms(InboxWindow + Margin) });
        await SweptAsync(async () => await CountAsync("SELECT COUNT(*) FROM platform_inbox WHERE consumer = 'test.sentinel'") == 0, "the sentinel was swept");
        Assert.False(await DeliverAsync());
        Assert.Equal(1L, await _host.EffectsAsync(TestConsumers.Recorder, marker));

        _clock.Advance(Margin);
        await SweptAsync(
            async () => await CountAsync("SELECT COUNT(*) FROM platform_inbox WHERE event_id = @id", new { id = envelope.Id }) == 0,
            "the inbox row was swept after its window");
    }

    [Fact]
    public async Task An_idempotency_key_is_kept_for_24_hours_and_swept_after()
    {
        var keys = _host.Get<IdempotencyKeys>();
        async Task<IdempotencyRecord?> ClaimAsync(string hash)
        {
            await using var connection = await _host.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            var record = await keys.ClaimAsync(transaction, "test.retention", "key-1", hash, "links/1", Ct);
            await transaction.CommitAsync(Ct);
            return record;
        }

        Assert.Null(await ClaimAsync("h1"));

        _clock.Advance(IdempotencyKeys.Retention - Margin);
        await _host.ExecuteAsync(
            "INSERT INTO platform_idempotency (scope, key, request_hash, resource, created_at) VALUES ('test.sentinel', 'k', 'h', 'r', @at)",
            new { at = Ms(IdempotencyKeys.Retention + Margin) });
        await SweptAsync(async () => await CountAsync("SELECT COUNT(*) FROM platform_idempotency WHERE scope = 'test.sentinel'") == 0, "the sentinel was swept");
        Assert.Equal(new IdempotencyRecord("h1", "links/1"), await ClaimAsync("h2")); // still remembered

        _clock.Advance(Margin);
        await SweptAsync(async () => await CountAsync("SELECT COUNT(*) FROM platform_idempotency WHERE scope = 'test.retention'") == 0, "the key was swept");
    }

    [Fact]
    public async Task A_dead_letter_is_kept_for_its_window_and_swept_after()
    {
        const string Insert =
            """
            INSERT INTO platform_dead_letters (consumer, event_id, type, payload, occurred_at, attempts, last_error, failed_at)
            VALUES (@consumer, @eventId, 'test.broken', '{}', @at, 3, 'boom', @at)
            """;
        await _host.ExecuteAsync(Insert, new { consumer = "test.kept", eventId = 1L, at = Ms(TimeSpan.Zero) });

        _clock.Advance(DeadLetterWindow - Margin);
        await _host.ExecuteAsync(Insert, new { consumer = "test.sentinel", eventId = 1L, at = Ms(DeadLetterWindow + Margin) });
        await SweptAsync(async () => await CountAsync("SELECT COUNT(*) FROM platform_dead_letters WHERE consumer = 'test.sentinel'") == 0, "the sentinel was swept");
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM platform_dead_letters WHERE consumer = 'test.kept'"));

        _clock.Advance(Margin);
        await SweptAsync(async () => await CountAsync("SELECT COUNT(*) FROM platform_dead_letters WHERE consumer = 'test.kept'") == 0, "the letter was swept");
    }

    [Fact]
    public async Task A_backlog_larger_than_a_batch_is_swept_whole_in_one_round()
    {
        // 250 rows two days old: inside the host's own inbox window (its sweeper leaves them), outside the one-day
        // window of a second sweeper over the same table, whose single round must delete all three batches of 100.
        var at = Ms(TimeSpan.FromDays(2));
        await using (var connection = await _host.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            foreach (var id in Enumerable.Range(1, 250))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO platform_inbox (consumer, event_id, processed_at) VALUES ('test.backlog', @id, @at)",
                    new { id = (long)id, at }, transaction, cancellationToken: Ct));
            }

            await transaction.CommitAsync(Ct);
        }

        var sweeper = new RetentionSweeper(
            _host.Database,
            [new RetentionTable("platform_inbox", "processed_at", TimeSpan.FromDays(1))],
            Options.Create(new RetentionOptions { BatchSize = 100 }),
            _clock,
            _host.Get<IMeterFactory>(),
            _host.Get<ServiceSupervisor>(),
            NullLogger<RetentionSweeper>.Instance);

        var deleted = await sweeper.SweepAsync(Ct);

        Assert.Equal(250L, deleted["platform_inbox"]);
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM platform_inbox WHERE consumer = 'test.backlog'"));
    }

    [Fact]
    public void Retention_settings_that_would_forget_too_early_are_refused()
    {
        Assert.Null(new RetentionOptions().Problem());
        Assert.NotNull(new RetentionOptions { IdempotencyKeys = TimeSpan.FromHours(23) }.Problem());
        Assert.NotNull(new RetentionOptions { DeadLetters = TimeSpan.FromDays(15), Inbox = TimeSpan.FromDays(14) }.Problem());
    }
}
