using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Data;

/// <summary>
/// Write pins held in this process: user id → the instant (unix ms) the pin expires. Enough for one node (or a load
/// balancer with sticky sessions); the cluster replaces it with a shared implementation of <see cref="IWritePins"/>.
/// </summary>
public sealed class LocalWritePins(IOptions<DatabaseOptions> options, TimeProvider time) : IWritePins
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<long, long> _expiries = new();

    public ValueTask PinAsync(long userId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)options.Value.PinDuration.TotalMilliseconds;
        _expiries.AddOrUpdate(userId, until, (_, current) => Math.Max(current, until));
        if (_expiries.Count > SweepAbove)
        {
            Sweep(now);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsPinnedAsync(long userId, CancellationToken ct)
    {
        if (!_expiries.TryGetValue(userId, out var until))
        {
            return ValueTask.FromResult(false);
        }

        if (until > time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return ValueTask.FromResult(true);
        }

        _expiries.TryRemove(KeyValuePair.Create(userId, until));
        return ValueTask.FromResult(false);
    }

    private void Sweep(long now)
    {
        foreach (var (userId, until) in _expiries)
        {
            if (until <= now)
            {
                _expiries.TryRemove(KeyValuePair.Create(userId, until));
            }
        }
    }
}
