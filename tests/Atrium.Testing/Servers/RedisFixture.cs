using Xunit;

namespace Atrium.Testing.Servers;

/// <summary>
/// A Redis server for a test class, collection or assembly; it starts in well under a second. Tests sharing it
/// should use their own keys (or key prefix); a test that stops it should start its own <see cref="RedisServer"/>.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartNewAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
