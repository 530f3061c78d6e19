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

    public static string Key(long id) => $"accounts:user:{id}";

    public async Task<UserSummary?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var name = UsernameRules.Normalize(username);
        return UsernameRules.Validate(name) is null && await users.FindByUsernameAsync(name, cancellationToken) is { } row
            ? new UserSummary(row.Id, row.Username, row.DisplayName)
            : null;
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
