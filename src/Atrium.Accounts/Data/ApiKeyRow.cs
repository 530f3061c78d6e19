namespace Atrium.Accounts.Data;

/// <summary>An <c>accounts_api_keys</c> row as listed to its owner (never the hash).</summary>
internal sealed record ApiKeyRow(long Id, string Name, string Prefix, long CreatedAt, long? LastUsedAt)
{
    public const string Columns = "id, name, prefix, created_at AS CreatedAt, last_used_at AS LastUsedAt";
}
