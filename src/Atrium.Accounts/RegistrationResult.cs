using Atrium.Accounts.Domain;

namespace Atrium.Accounts;

/// <summary>What a registration came to.</summary>
internal abstract record RegistrationResult
{
    public sealed record Created(Account Account) : RegistrationResult;

    public sealed record Invalid(string Message) : RegistrationResult;

    public sealed record Taken(string Message) : RegistrationResult;
}
