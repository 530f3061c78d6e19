using Xunit;

namespace Atrium.Testing.Servers;

/// <summary>
/// A PostgreSQL primary and one streaming replica, for a test class (<c>IClassFixture</c>), a collection or the
/// assembly (<c>[assembly: AssemblyFixture]</c>). Both start in about two seconds. Tests sharing it should each
/// use their own database (<see cref="PostgresServer.CreateDatabaseAsync"/>); a test that kills or stops a
/// server, or pauses replay where others read, should start its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _primary;
    private PostgresServer? _replica;

    public PostgresServer Primary => _primary ?? throw new InvalidOperationException("The fixture has not started.");

    public PostgresServer Replica => _replica ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync()
    {
        _primary = await PostgresServer.StartNewAsync(TestContext.Current.CancellationToken);
        try
        {
            _replica = await _primary.StartReplicaAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await _primary.DisposeAsync();
            _primary = null;
            throw;
        }
    }

    /// <summary>Disposing the primary stops and deletes its replica too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }
}
