using Atrium.Platform.Data;
using Dapper;

namespace Atrium.Accounts.Data;

/// <summary>SQL over <c>accounts_signing_keys</c>, the HMAC keys every node signs and checks access tokens with.</summary>
internal sealed class SigningKeyStore(IDatabase database)
{
    public async Task<IReadOnlyList<SigningKeyRow>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var rows = await connection.QueryAsync<SigningKeyRow>(new CommandDefinition(
            $"SELECT {SigningKeyRow.Columns} FROM accounts_signing_keys ORDER BY generation DESC", cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Adds <paramref name="key"/> as the next generation unless another node added that generation first
    /// (false then); when added, every older key not yet retiring retires at <paramref name="retireOlderAt"/>,
    /// and keys retired before <paramref name="purgeBefore"/> are deleted.
    /// </summary>
    public async Task<bool> TryAddAsync(SigningKeyRow key, long retireOlderAt, long purgeBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts_signing_keys (kid, generation, secret, created_at, retire_at)
            VALUES (@Kid, @Generation, @Secret, @CreatedAt, NULL)
            ON CONFLICT (generation) DO NOTHING
            """,
            key, transaction, cancellationToken: cancellationToken));
        if (added != 1)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts_signing_keys SET retire_at = @retireOlderAt WHERE generation < @generation AND retire_at IS NULL",
            new { retireOlderAt, generation = key.Generation }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM accounts_signing_keys WHERE retire_at < @purgeBefore",
            new { purgeBefore }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
