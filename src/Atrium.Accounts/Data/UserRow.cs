using Atrium.Accounts.Domain;

namespace Atrium.Accounts.Data;

/// <summary>An <c>accounts_users</c> row as both dialects return it (integers as 64-bit, times as unix ms).</summary>
internal sealed record UserRow(long Id, string Username, string DisplayName, string PasswordHash, long CreatedAt)
{
    public const string Columns = "id, username, display_name AS DisplayName, password_hash AS PasswordHash, created_at AS CreatedAt";

    public Account ToAccount() => new(Id, Username, DisplayName, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}
