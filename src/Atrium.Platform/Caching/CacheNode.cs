namespace Atrium.Platform.Caching;

/// <summary>This process's tag on invalidation messages (<c>{node}|{key}</c>), so a node skips its own.</summary>
internal sealed class CacheNode
{
    private readonly string _prefix = Guid.NewGuid().ToString("N") + "|";

    public string Message(string key) => _prefix + key;

    /// <summary>The key of another node's message, or null for our own (or a malformed one).</summary>
    public string? KeyFromOtherNode(string message)
    {
        if (message.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var bar = message.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 || bar == message.Length - 1 ? null : message[(bar + 1)..];
    }
}
