namespace Atrium.Platform.Users;

/// <summary>
/// The users of Atrium as other modules see them (DESIGN.md §2: modules talk through small contracts, never
/// each other's tables). Implemented by Accounts; the Feed and Chat resolve usernames and authors through it.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The user named <paramref name="username"/> (any case; normalised here), or null when there is none.</summary>
    Task<UserSummary?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>The users with these ids, by id, read through the cache; unknown ids are absent from the result.</summary>
    Task<IReadOnlyDictionary<long, UserSummary>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}
