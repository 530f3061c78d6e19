namespace Atrium.Platform.Caching;

/// <summary>
/// Guards a cache-aside fill against the classic race: the fill reads the old value, a write commits and invalidates,
/// then the fill stores the old value, which nothing would remove until it expires. The fill calls
/// <see cref="BeginAsync"/> before it reads its source and <see cref="SettleAsync"/> after its value is stored; any key
/// invalidated in between (on this node, or on any node through the generation in Redis) is invalidated again, so the
/// stored value cannot outlive the write's invalidation.
/// </summary>
public sealed class CacheFill(ICacheInvalidator invalidator, IReadOnlyList<string> keys)
{
    private CacheStamp[]? _stamps;

    public CacheFill(ICacheInvalidator invalidator, string key)
        : this(invalidator, [key])
    {
    }

    /// <summary>Whether <see cref="BeginAsync"/> ran: the fill read its source (not merely joined another's).</summary>
    public bool Began => _stamps is not null;

    public async ValueTask BeginAsync() => _stamps = await invalidator.StampAsync(keys);

    /// <summary>After the store: invalidates again every key that may have been invalidated since <see cref="BeginAsync"/>.</summary>
    public async ValueTask SettleAsync()
    {
        if (_stamps is not { } stamps)
        {
            return;
        }

        var changed = await invalidator.ChangedSinceAsync(keys, stamps);
        for (var i = 0; i < changed.Length; i++)
        {
            if (changed[i])
            {
                await invalidator.InvalidateAsync(keys[i], CancellationToken.None);
            }
        }
    }
}
