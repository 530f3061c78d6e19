using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Accounts.Data;

/// <summary>SQL over <c>accounts_users</c>; the same statements run on SQLite and PostgreSQL.</summary>
internal sealed class UserStore(IDatabase database, IWritePins pins)
{
    /// <summary>Inserts a new user; false when the username is taken.</summary>
    public async Task<bool> TryInsertAsync(UserRow user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts_users (id, username, display_name, password_hash, api_key_count, created_at)
            VALUES (@Id, @Username, @DisplayName, @PasswordHash, 0, @CreatedAt)
            ON CONFLICT (username) DO NOTHING
            """,
            user, cancellationToken: cancellationToken)) == 1;
        if (inserted)
        {
            // Sign-up is anonymous, so the primary connection pinned nobody: pin the new user, whose first
            // signed-in reads (their profile) must not go to a replica that has not received them yet.
            await pins.PinAsync(user.Id, cancellationToken);
        }

        return inserted;
    }

    /// <summary>The user named <paramref name="username"/> (canonical form), read from the primary (sign-in right after sign-up must find it).</summary>
    public async Task<UserRow?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserRow.Columns} FROM accounts_users WHERE username = @username", new { username }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The user with <paramref name="id"/>, read from the primary: it answers a user about their own
    /// account right after sign-up, possibly on another node that holds no read-your-writes pin for them.
    /// </summary>
    public async Task<UserRow?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserRow.Columns} FROM accounts_users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<bool> ExistsAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM accounts_users WHERE username = @username", new { username }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Replaces a password hash with a stronger one of the same password, unless it changed meanwhile.</summary>
    public async Task<bool> UpgradePasswordHashAsync(long id, string currentHash, string newHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_users SET password_hash = @newHash WHERE id = @id AND password_hash = @currentHash",
            new { id, currentHash, newHash }, cancellationToken: cancellationToken)) == 1;
    }
}
