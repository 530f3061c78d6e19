namespace Atrium.Accounts.Tests.Support;

/// <summary>An <c>accounts_signing_keys</c> row as the tests read it.</summary>
public sealed record KeyRow(string Kid, long Generation, string Secret, long? RetireAt);
