namespace Atrium.Platform.Caching;

/// <summary>
/// Marks the current async flow as "L1 only": a node acting on another node's invalidation message removes the
/// key from its own L1 through <c>HybridCache.RemoveAsync</c>, and <see cref="ResilientDistributedCache"/> skips
/// the Redis delete, which the sending node has already done.
/// </summary>
internal static class L2Scope
{
    private static readonly AsyncLocal<bool> LocalOnlyFlag = new();

    public static bool LocalOnly => LocalOnlyFlag.Value;

    public static IDisposable EnterLocalOnly()
    {
        LocalOnlyFlag.Value = true;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        public void Dispose() => LocalOnlyFlag.Value = false;
    }
}
