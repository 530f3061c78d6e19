using System.Collections.Concurrent;
using Atrium.Accounts.Data;
using Microsoft.Extensions.Logging;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// Records when API keys are used (<c>last_used_at</c>), at most once per <see cref="Resolution"/> per key
/// and node, so a script calling many times a second costs one write a minute.
/// </summary>
internal sealed partial class ApiKeyUsage(ApiKeyStore store, TimeProvider time, ILogger<ApiKeyUsage> logger)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<long, long> _recorded = new();

    public async ValueTask RecordAsync(long keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var resolution = (long)Resolution.TotalMilliseconds;
        if (_recorded.TryGetValue(keyId, out var last) && now >= last && now - last < resolution)
        {
            return;
        }

        if (_recorded.Count >= MaxTracked)
        {
            _recorded.Clear(); // forgetting only costs a few extra writes
        }

        _recorded[keyId] = now;
        try
        {
            await store.TouchAsync(keyId, now, now - resolution, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Bookkeeping must not fail the request it rides on.
            LogTouchFailed(ex, keyId);
        }
    }

    public void Forget(long keyId) => _recorded.TryRemove(keyId, out _);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {KeyId}")]
    private partial void LogTouchFailed(Exception exception, long keyId);
}
