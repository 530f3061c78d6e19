using System.Collections.Concurrent;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// Holds one cache call on a key at a chosen point (<see cref="CachePoint"/>) until the test releases it, so a test
/// puts a write exactly between a fill's read and its store, without timing anything (<see cref="GatedHybridCache"/>).
/// Each arming holds the first call that reaches its point, once.
/// </summary>
public sealed class CacheGate
{
    private readonly ConcurrentDictionary<(string Key, CachePoint Point), Hold> _armed = new();

    /// <summary>Holds the next call on <paramref name="key"/> reaching <paramref name="point"/>.</summary>
    public Hold Arm(string key, CachePoint point)
    {
        var hold = new Hold();
        _armed[(key, point)] = hold;
        return hold;
    }

    internal Task PassAsync(string key, CachePoint point) =>
        _armed.TryRemove((key, point), out var hold) ? hold.HoldAsync() : Task.CompletedTask;

    /// <summary>One held call: <see cref="Reached"/> completes when it arrives; it goes on after <see cref="Release"/>.</summary>
    public sealed class Hold
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        internal Task HoldAsync()
        {
            _reached.TrySetResult();
            return _released.Task;
        }
    }
}
