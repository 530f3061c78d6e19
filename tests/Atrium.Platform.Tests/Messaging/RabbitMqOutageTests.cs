using Atrium.Platform.Messaging;
using Atrium.Platform.Tests.Infrastructure;
using Atrium.Testing.Servers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;
using Atrium.Testing;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// The broker goes down (<c>rabbitmqctl stop_app</c>) under a running host: writes keep committing, the
/// outbox holds their events, and the backlog drains when the broker is back — nothing lost, nothing
/// applied twice. A node of its own, since it takes the broker down.
/// </summary>
public sealed class RabbitMqOutageTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task While_the_broker_is_down_writes_commit_and_the_backlog_drains_exactly_once_when_it_returns()
    {
        var (_, uri) = await RabbitMqTestBroker.NewVirtualHostAsync(broker.Server);
        await using var host = await RabbitMqTestBroker.StartHostAsync(_dir.Path, uri);
        var warmup = TestConsumers.NewMarker();
        await host.PublishAsync(new Recorded(warmup));
        await Eventually.HoldsAsync(async () => await host.EffectsAsync(TestConsumers.Second, warmup) == 1, "the warm-up event was applied", Deadline);
        Assert.Equal(HealthStatus.Healthy, await RabbitMqHealthAsync(host));

        await broker.Server.StopAppAsync(Ct);
        try
        {
            var markers = Enumerable.Range(0, 30).Select(_ => TestConsumers.NewMarker()).ToList();
            var ids = new List<long>();
            foreach (var marker in markers)
            {
                ids.Add(await host.PublishAsync(new Recorded(marker))); // commits although the broker is down
            }

            await Eventually.HoldsAsync(
                () => host.Logs.Entries.Any(e => e.Contains(OutboxRelay.ServiceName + " failed", StringComparison.Ordinal)),
                "the relay failed to publish and is backing off", Deadline);
            Assert.Equal((long)ids.Count, await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox WHERE id IN @ids", new { ids }));
            // Degraded, not Unhealthy: writes still succeed (events wait in the outbox), so the gateway must keep the node.
            Assert.Equal(HealthStatus.Degraded, await RabbitMqHealthAsync(host));

            await broker.Server.StartAppAsync(Ct);

            await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>(
                "SELECT COUNT(DISTINCT marker) FROM tests_effects WHERE marker IN @markers AND consumer = @consumer",
                new { markers, consumer = TestConsumers.Recorder }) == markers.Count
                && await host.ScalarAsync<long>(
                "SELECT COUNT(DISTINCT marker) FROM tests_effects WHERE marker IN @markers AND consumer = @consumer",
                new { markers, consumer = TestConsumers.Second }) == markers.Count, "the backlog drained to both consumers", Deadline);
            await Eventually.HoldsAsync(async () => await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_outbox") == 0, "the outbox emptied", Deadline);

            // Exactly once: one effect per event and consumer, one inbox row each.
            Assert.Equal(2L * markers.Count, await host.ScalarAsync<long>("SELECT COUNT(*) FROM tests_effects WHERE marker IN @markers", new { markers }));
            Assert.Equal(2L * ids.Count, await host.ScalarAsync<long>("SELECT COUNT(*) FROM platform_inbox WHERE event_id IN @ids", new { ids }));
            await Eventually.HoldsAsync(async () => await RabbitMqHealthAsync(host) == HealthStatus.Healthy, "the health check recovered", Deadline);
        }
        finally
        {
            if (!await IsUpAsync())
            {
                await broker.Server.StartAppAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<HealthStatus> RabbitMqHealthAsync(PlatformHost host)
    {
        var report = await host.Get<HealthCheckService>().CheckHealthAsync(check => check.Name == "rabbitmq", Ct);
        return report.Entries["rabbitmq"].Status;
    }

    private async Task<bool> IsUpAsync()
    {
        try
        {
            await broker.Server.CtlAsync(["await_startup", "--timeout", "1"], CancellationToken.None);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
