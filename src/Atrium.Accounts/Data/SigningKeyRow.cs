namespace Atrium.Accounts.Data;

/// <summary>An <c>accounts_signing_keys</c> row.</summary>
internal sealed record SigningKeyRow(string Kid, long Generation, string Secret, long CreatedAt, long? RetireAt)
{
    public const string Columns = "kid, generation, secret, created_at AS CreatedAt, retire_at AS RetireAt";
}
