using Atrium.Platform.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts.Data;

/// <summary>
/// API key lookups by hash through HybridCache (<c>accounts:apikey:{hash}</c>). Only known keys are
/// cached, briefly: caching "no such key" would refuse a key created a moment ago on another node.
/// Deleting a key evicts it here, from Redis and from every node's L1 at once (<see cref="ICacheInvalidator"/>).
/// </summary>
internal sealed class ApiKeyCache(HybridCache cache, ICacheInvalidator invalidator, ApiKeyStore store, IOptions<AccountsOptions> options)
{
    private readonly FillEntry _entry = new(new HybridCacheEntryOptions
    {
        Expiration = options.Value.ApiKeyCacheDuration < invalidator.MaxSharedLifetime ? options.Value.ApiKeyCacheDuration : invalidator.MaxSharedLifetime,
        LocalCacheExpiration = options.Value.ApiKeyCacheDuration < invalidator.MaxLocalLifetime ? options.Value.ApiKeyCacheDuration : invalidator.MaxLocalLifetime,
    });

    public static string Key(string keyHash) => $"accounts:apikey:{keyHash}";

    public async ValueTask<ApiKeyOwner?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var key = Key(keyHash);
        var owner = await cache.GetOrFillAsync( // guarded: a lookup that raced the key's deletion cannot keep it cached
            invalidator, key, (store, keyHash), static (state, ct) => new ValueTask<ApiKeyOwner?>(state.store.FindOwnerAsync(state.keyHash, ct)),
            _entry, storeAs: null, cancellationToken);
        if (owner is null)
        {
            await cache.RemoveAsync(key, cancellationToken); // do not remember a miss
        }

        return owner;
    }

    public ValueTask InvalidateAsync(string keyHash, CancellationToken cancellationToken) => invalidator.InvalidateAsync(Key(keyHash), cancellationToken);
}
