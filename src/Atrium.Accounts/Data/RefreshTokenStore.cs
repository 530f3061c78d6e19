using System.Data.Common;
using Atrium.Accounts.Domain;
using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Accounts.Data;

/// <summary>
/// SQL over <c>accounts_refresh_tokens</c>: tokens are kept as SHA-256 only, grouped in families (one
/// sign-in and its rotations), so reuse of a rotated token can revoke everything that sign-in produced.
/// </summary>
internal sealed class RefreshTokenStore(IDatabase database)
{
    /// <summary>Stores the first token of a new family (a sign-in).</summary>
    public async Task CreateAsync(long id, long userId, string tokenHash, long now, long expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await InsertAsync(connection, null, id, userId, familyId: id, tokenHash, now, expiresAt, cancellationToken);
    }

    /// <summary>
    /// Rotates the token whose hash is <paramref name="tokenHash"/>: revokes it, records its successor
    /// (<paramref name="newId"/>, <paramref name="newHash"/>) and stores that, all in one transaction.
    /// A token that was already rotated revokes its whole family instead.
    /// </summary>
    public async Task<RefreshRotation> RotateAsync(
        string tokenHash, long newId, string newHash, long now, long newExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var token = await connection.QuerySingleOrDefaultAsync<RefreshTokenRow>(new CommandDefinition(
            """
            SELECT t.id, t.user_id AS UserId, t.family_id AS FamilyId, t.expires_at AS ExpiresAt, t.revoked_at AS RevokedAt,
                   t.replaced_by AS ReplacedBy, u.username
            FROM accounts_refresh_tokens t JOIN accounts_users u ON u.id = t.user_id
            WHERE t.token_hash = @tokenHash
            """,
            new { tokenHash }, transaction, cancellationToken: cancellationToken));
        if (token is null)
        {
            return new RefreshRotation(RefreshStatus.Unknown);
        }

        if (token.RevokedAt is not null)
        {
            if (token.ReplacedBy is null)
            {
                return new RefreshRotation(RefreshStatus.Revoked, token.UserId, token.Username, token.FamilyId);
            }

            await RevokeFamilyAsync(transaction, token.FamilyId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefreshRotation(RefreshStatus.Reused, token.UserId, token.Username, token.FamilyId);
        }

        if (token.ExpiresAt <= now)
        {
            return new RefreshRotation(RefreshStatus.Expired, token.UserId, token.Username, token.FamilyId);
        }

        // Claim the token: only one of two concurrent refreshes with it can (on PostgreSQL the second
        // waits for the first's row lock, then finds it revoked); the loser is treated as reuse.
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_refresh_tokens SET revoked_at = @now, replaced_by = @newId WHERE id = @id AND revoked_at IS NULL",
            new { now, newId, id = token.Id }, transaction, cancellationToken: cancellationToken));
        if (claimed != 1)
        {
            await RevokeFamilyAsync(transaction, token.FamilyId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefreshRotation(RefreshStatus.Reused, token.UserId, token.Username, token.FamilyId);
        }

        await InsertAsync(connection, transaction, newId, token.UserId, token.FamilyId, newHash, now, newExpiresAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RefreshRotation(RefreshStatus.Rotated, token.UserId, token.Username, token.FamilyId);
    }

    /// <summary>Revokes the family of the token whose hash is <paramref name="tokenHash"/> (sign-out); nothing when there is no such token.</summary>
    public async Task<int> RevokeFamilyOfAsync(string tokenHash, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE accounts_refresh_tokens SET revoked_at = @now
            WHERE revoked_at IS NULL
              AND family_id = (SELECT family_id FROM accounts_refresh_tokens WHERE token_hash = @tokenHash)
            """,
            new { tokenHash, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes up to <paramref name="batch"/> tokens that expired before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(long cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM accounts_refresh_tokens
            WHERE id IN (SELECT id FROM accounts_refresh_tokens WHERE expires_at < @cutoff ORDER BY expires_at LIMIT @batch)
            """,
            new { cutoff, batch }, cancellationToken: cancellationToken));
    }

    private static Task<int> RevokeFamilyAsync(DbTransaction transaction, long familyId, long now, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_refresh_tokens SET revoked_at = @now WHERE family_id = @familyId AND revoked_at IS NULL",
            new { familyId, now }, transaction, cancellationToken: cancellationToken));

    private static Task<int> InsertAsync(
        DbConnection connection, DbTransaction? transaction, long id, long userId, long familyId, string tokenHash, long now, long expiresAt,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts_refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, revoked_at, replaced_by)
            VALUES (@id, @userId, @familyId, @tokenHash, @now, @expiresAt, NULL, NULL)
            """,
            new { id, userId, familyId, tokenHash, now, expiresAt }, transaction, cancellationToken: cancellationToken));
}
