using Atrium.Platform.Data;

namespace Atrium.Chat.Data;

/// <summary>
/// Queues the chat's write transactions in-process on SQLite. SQLite has one writer; without this, concurrent writers
/// meet SQLITE_BUSY and the driver retries after sleeping (150 ms a time), which turns a burst of sends into
/// seconds of latency. With it they wait their turn on an async semaphore and each commit follows the previous one at
/// once. On PostgreSQL it does nothing: row locks order writers per conversation and unrelated ones run in parallel.
/// </summary>
internal sealed class ChatWriteGate(IDatabase database) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask<WriteGateLease> EnterAsync(CancellationToken ct)
    {
        if (database.Dialect != SqlDialect.Sqlite)
        {
            return default;
        }

        await _gate.WaitAsync(ct);
        return new WriteGateLease(_gate);
    }

    public void Dispose() => _gate.Dispose();
}
