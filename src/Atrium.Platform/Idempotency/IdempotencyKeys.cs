using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Atrium.Platform.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> support for create endpoints. The key is claimed inside the same transaction
/// that creates the resource, so either both commit or neither does; a second request with the key
/// finds the first one's record (on PostgreSQL it waits for the first transaction to finish).
/// Keys are remembered for <see cref="Retention"/>; after that a key may be reused.
/// </summary>
public sealed class IdempotencyKeys(TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Null when the key is acceptable, else what is wrong with it.</summary>
    public static string? Validate(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"The {Header} header must be 1–{MaxKeyLength} printable ASCII characters without spaces."
            : null;

    /// <summary>A stable hash of the request, to tell a retry from a different request under the same key.</summary>
    public static string Hash(string canonicalRequest) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="resource"/> inside <paramref name="transaction"/>.
    /// Returns null when the claim is new (go on and create), or the earlier request's record.
    /// </summary>
    public async Task<IdempotencyRecord?> ClaimAsync(
        DbTransaction transaction, string scope, string key, string requestHash, string resource, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var connection = transaction.Connection!;
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_idempotency (scope, key, request_hash, resource, created_at)
            VALUES (@scope, @key, @requestHash, @resource, @now)
            ON CONFLICT (scope, key) DO UPDATE
                SET request_hash = excluded.request_hash, resource = excluded.resource, created_at = excluded.created_at
                WHERE platform_idempotency.created_at < @cutoff
            """,
            new { scope, key, requestHash, resource, now = now.ToUnixTimeMilliseconds(), cutoff = (now - Retention).ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken));
        if (claimed == 1)
        {
            return null;
        }

        return await connection.QuerySingleAsync<IdempotencyRecord>(new CommandDefinition(
            "SELECT request_hash AS RequestHash, resource AS Resource FROM platform_idempotency WHERE scope = @scope AND key = @key",
            new { scope, key }, transaction, cancellationToken: cancellationToken));
    }
}
