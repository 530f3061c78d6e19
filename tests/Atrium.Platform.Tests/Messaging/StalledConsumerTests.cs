using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// A node frozen inside a consumer's transaction (SIGSTOP, fault scenario 7) must not hold the event hostage: the broker
/// hands the delivery to another node, whose inbox insert waits on the frozen transaction's row lock until PostgreSQL
/// ends that transaction. PostgreSQL only: SQLite has one node.
/// </summary>
public sealed class StalledConsumerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _host = await PlatformHost.StartAsync(_dir.Path, settings: await ShapeSettings.ForAsync(_dir.Path));

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact(Skip = "PostgreSQL only (the distributed shape)", SkipUnless = nameof(TestShape.Distributed), SkipType = typeof(TestShape))]
    public async Task A_delivery_left_in_an_open_transaction_by_a_frozen_node_is_applied_by_another()
    {
        var frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var consumer = new ConsumerRegistration("test.stalled", "test.stalled", async (_, _, _, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                inside.TrySetResult();
                await frozen.Task; // the first node "freezes" here, its transaction open and idle
            }
        });
        var envelope = new EventEnvelope(Random.Shared.NextInt64(1L << 50, 1L << 60), "test.stalled", "{}", DateTimeOffset.UtcNow);
        var runner = _host.Get<ConsumerRunner>();

        var first = Task.Run(async () =>
        {
            await using var connection = await _host.OpenAsync();
            return await runner.ApplyAsync(consumer, envelope, connection, null, Ct);
        }, Ct);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var second = Task.Run(async () =>
        {
            await using var connection = await _host.OpenAsync();
            return await runner.ApplyAsync(consumer, envelope, connection, null, Ct);
        }, Ct);
        bool secondApplied;
        try
        {
            // Today's bound on the wait is the command timeout (30 s): the second node's insert fails instead of applying.
            secondApplied = await second.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        }
        finally
        {
            frozen.TrySetResult(); // the first node thaws
        }

        Assert.True(secondApplied);
        await Assert.ThrowsAnyAsync<Exception>(() => first); // its transaction was ended under it: the commit fails

        Assert.Equal(1L, await _host.ScalarAsync<long>(
            "SELECT COUNT(*) FROM platform_inbox WHERE consumer = 'test.stalled' AND event_id = @id", new { id = envelope.Id }));
        Assert.Equal(2, calls);
    }
}
