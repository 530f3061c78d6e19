using Xunit;

namespace Atrium.Testing.Servers;

/// <summary>
/// A RabbitMQ node. It takes about 5 s to start on these 2-core machines (and 2.5 s to stop), so
/// share it as widely as possible: <c>[assembly: AssemblyFixture(typeof(RabbitMqFixture))]</c> and a
/// constructor parameter in each test class, with queue and exchange names unique to each test. Tests that take
/// the broker down (<see cref="RabbitMqServer.StopAppAsync"/>, <see cref="RabbitMqServer.KillAsync"/>) would
/// break other classes running in parallel: give them a node of their own (<c>IClassFixture</c>), or put them
/// in a collection with <c>DisableParallelization = true</c>.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqServer? _server;

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => _server = await RabbitMqServer.StartNewAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
