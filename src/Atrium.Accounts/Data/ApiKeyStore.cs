using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Accounts.Data;

/// <summary>SQL over <c>accounts_api_keys</c> (and the per-user key count in <c>accounts_users</c>).</summary>
internal sealed class ApiKeyStore(IDatabase database)
{
    /// <summary>
    /// Stores a new key unless its user already holds <paramref name="maxPerUser"/>; false then. The count
    /// is taken with a conditional UPDATE of the user's row, which both dialects serialize per user.
    /// </summary>
    public async Task<bool> TryCreateAsync(
        long id, long userId, string name, string keyHash, string prefix, long createdAt, int maxPerUser, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var counted = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_users SET api_key_count = api_key_count + 1 WHERE id = @userId AND api_key_count < @maxPerUser",
            new { userId, maxPerUser }, transaction, cancellationToken: cancellationToken));
        if (counted != 1)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts_api_keys (id, user_id, name, key_hash, prefix, created_at, last_used_at)
            VALUES (@id, @userId, @name, @keyHash, @prefix, @createdAt, NULL)
            """,
            new { id, userId, name, keyHash, prefix, createdAt }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary><paramref name="userId"/>'s keys, newest first (a user holds at most a handful).</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {ApiKeyRow.Columns} FROM accounts_api_keys WHERE user_id = @userId ORDER BY id DESC",
            new { userId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Deletes <paramref name="userId"/>'s key <paramref name="id"/>; its hash (to evict from caches), or null when they have no such key.</summary>
    public async Task<string?> DeleteAsync(long userId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hash = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT key_hash FROM accounts_api_keys WHERE id = @id AND user_id = @userId",
            new { id, userId }, transaction, cancellationToken: cancellationToken));
        if (hash is null)
        {
            return null;
        }

        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM accounts_api_keys WHERE id = @id AND user_id = @userId",
            new { id, userId }, transaction, cancellationToken: cancellationToken));
        if (deleted != 1)
        {
            return null; // deleted concurrently: the other request did the bookkeeping
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_users SET api_key_count = api_key_count - 1 WHERE id = @userId AND api_key_count > 0",
            new { userId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return hash;
    }

    /// <summary>The owner of the key whose hash is <paramref name="keyHash"/>, or null.</summary>
    public async Task<ApiKeyOwner?> FindOwnerAsync(string keyHash, CancellationToken cancellationToken)
    {
        // From the primary: a key must work the moment its creation answered.
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyOwner>(new CommandDefinition(
            """
            SELECT k.id AS KeyId, k.user_id AS UserId, u.username
            FROM accounts_api_keys k JOIN accounts_users u ON u.id = k.user_id
            WHERE k.key_hash = @keyHash
            """,
            new { keyHash }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a use of key <paramref name="id"/> unless one was recorded after <paramref name="notBefore"/>.</summary>
    public async Task TouchAsync(long id, long now, long notBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @notBefore)",
            new { id, now, notBefore }, cancellationToken: cancellationToken));
    }
}
