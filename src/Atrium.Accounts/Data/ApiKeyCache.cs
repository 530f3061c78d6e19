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
    private readonly HybridCacheEntryOptions _entry = new()
    {
        Expiration = options.Value.ApiKeyCacheDuration,
        LocalCacheExpiration = options.Value.ApiKeyCacheDuration < invalidator.MaxLocalLifetime ? options.Value.ApiKeyCacheDuration : invalidator.MaxLocalLifetime,
    };

    public static string Key(string keyHash) => $"accounts:apikey:{keyHash}";

    public async ValueTask<ApiKeyOwner?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var key = Key(keyHash);
        var owner = await cache.GetOrCreateAsync(
            key, (store, keyHash), static (state, ct) => new ValueTask<ApiKeyOwner?>(state.store.FindOwnerAsync(state.keyHash, ct)),
            _entry, cancellationToken: cancellationToken);
        if (owner is null)
        {
            await cache.RemoveAsync(key, cancellationToken); // do not remember a miss
        }

        return owner;
    }

    public ValueTask InvalidateAsync(string keyHash, CancellationToken cancellationToken) => invalidator.InvalidateAsync(Key(keyHash), cancellationToken);
}
