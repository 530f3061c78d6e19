using Atrium.Accounts.Domain;
using Atrium.Platform.Users;
using Microsoft.Extensions.Caching.Hybrid;

namespace Atrium.Accounts.Data;

/// <summary>
/// <see cref="IUserDirectory"/> for the other modules. Summaries are cached by id (<c>accounts:user:{id}</c>):
/// usernames and display names never change, so an entry never goes stale and the Feed's author lookups on
/// every timeline read cost an L1 hit.
/// </summary>
internal sealed class UserDirectory(UserStore users, HybridCache cache) : IUserDirectory
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromHours(6),
        LocalCacheExpiration = TimeSpan.FromMinutes(30),
    };

    private static readonly HybridCacheEntryOptions Probe = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public static string Key(long id) => $"accounts:user:{id}";

    public static string UsernameKey(string normalizedUsername) => $"accounts:username:{normalizedUsername}";

    /// <summary>
    /// The user named <paramref name="username"/>. Found users are cached by name too (<c>accounts:username:{name}</c>;
    /// names never change and accounts are never deleted); a name not found is not cached, since it may be registered
    /// a moment later. The lookup reads the primary, and a primary connection pins the reader to the primary for the
    /// read-your-writes window: uncached, every profile, posts or followers page read by name kept its reader off the
    /// replicas for good (found by the replica-pause fault scenario, docs/reliability.md).
    /// </summary>
    public async Task<UserSummary?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var name = UsernameRules.Normalize(username);
        if (UsernameRules.Validate(name) is not null)
        {
            return null;
        }

        var key = UsernameKey(name);
        if (await cache.GetOrCreateAsync<UserSummary?>(key, static _ => ValueTask.FromResult<UserSummary?>(null), Probe, cancellationToken: cancellationToken) is { } cached)
        {
            return cached;
        }

        if (await users.FindByUsernameAsync(name, cancellationToken) is not { } row)
        {
            return null;
        }

        var summary = new UserSummary(row.Id, row.Username, row.DisplayName);
        await cache.SetAsync(key, summary, Entry, cancellationToken: cancellationToken);
        return summary;
    }

    public async Task<IReadOnlyDictionary<long, UserSummary>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, UserSummary>(ids.Count);
        foreach (var id in ids)
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            var summary = await cache.GetOrCreateAsync(Key(id), (users, id), static async (state, ct) =>
                await state.users.FindByIdAsync(state.id, ct) is { } row ? new UserSummary(row.Id, row.Username, row.DisplayName) : null,
                Entry, cancellationToken: cancellationToken);
            if (summary is not null)
            {
                found[id] = summary;
            }
        }

        return found;
    }
}
