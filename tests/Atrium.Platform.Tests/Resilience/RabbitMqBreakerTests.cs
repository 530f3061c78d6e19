using Atrium.Platform.Resilience;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Platform.Tests.Messaging;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Polly.CircuitBreaker;
using Xunit;

namespace Atrium.Platform.Tests.Resilience;

/// <summary>
/// The RabbitMQ publish pipeline (docs/resilience.md): with the broker down, the relay's publishes fail, the circuit
/// opens (so the relay stops opening channels on a dead broker) while the outbox holds the events; once the broker is
/// back, a trial publish closes it and the backlog drains, each event applied once. A broker of its own.
/// </summary>
public sealed class RabbitMqBreakerTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_dead_broker_opens_the_publish_circuit_and_a_live_one_closes_it_with_nothing_lost()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var metrics = host.Get<ResilienceMetrics>();
        var warmup = TestConsumers.NewMarker();
        await host.PublishAsync(new Recorded(warmup));
        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.Second, warmup) == 1, "the warm-up event was applied", Deadline);
        Assert.Equal(CircuitState.Closed, metrics.StateOf(Dependency.RabbitMq));

        await broker.Server.StopAppAsync(Ct);
        var marker = TestConsumers.NewMarker();
        try
        {
            await host.PublishAsync(new Recorded(marker)); // commits; the relay cannot publish it
            await Eventually.HoldsAsync(
                () => metrics.StateOf(Dependency.RabbitMq) is CircuitState.Open or CircuitState.HalfOpen,
                "the publish circuit to open", Deadline);
            await Eventually.HoldsAsync( // the transition is logged by Polly's callback, just after the state changes
                () => host.Logs.Entries.Any(e => e.Contains("Circuit rabbitmq opened", StringComparison.Ordinal)), "the opening to be logged", Deadline);
            Assert.Equal(1L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox"));
        }
        finally
        {
            await broker.Server.StartAppAsync(CancellationToken.None);
        }

        await Eventually.HoldsAsync(
            async () => await host.EffectsAsync(TestConsumers.Recorder, marker) >= 1 && await host.EffectsAsync(TestConsumers.Second, marker) >= 1,
            "the held event to reach both consumers", Deadline);
        await Eventually.HoldsAsync(() => metrics.StateOf(Dependency.RabbitMq) == CircuitState.Closed, "the circuit to close", Deadline);
        await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox") == 0, "the outbox to empty", Deadline);
        Assert.Equal(1, await host.EffectsAsync(TestConsumers.Recorder, marker)); // applied once, however often it was published
        Assert.Equal(1, await host.EffectsAsync(TestConsumers.Second, marker));
    }
}
