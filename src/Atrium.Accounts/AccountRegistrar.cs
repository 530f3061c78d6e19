using Atrium.Accounts.Data;
using Atrium.Accounts.Domain;
using Atrium.Accounts.Endpoints;
using Atrium.Platform.Ids;

namespace Atrium.Accounts;

/// <summary>Creates accounts: checks the username, password and display name, hashes the password, stores the user.</summary>
internal sealed class AccountRegistrar(
    UserStore users, PasswordHashing passwords, SnowflakeIds ids, TimeProvider time, AccountsMetrics metrics)
{
    public const int MaxDisplayNameLength = 64;

    public async Task<RegistrationResult> RegisterAsync(CreateAccountRequest request, CancellationToken cancellationToken)
    {
        var username = request.Username is null ? null : UsernameRules.Normalize(request.Username);
        if (UsernameRules.Validate(username) is { } usernameError)
        {
            return new RegistrationResult.Invalid(usernameError);
        }

        if (PasswordRules.Validate(request.Password, username!) is { } passwordError)
        {
            return new RegistrationResult.Invalid(passwordError);
        }

        var displayName = username!;
        if (request.DisplayName is not null)
        {
            if (TextRules.ValidateName(request.DisplayName, "displayName", MaxDisplayNameLength, out var trimmed) is { } nameError)
            {
                return new RegistrationResult.Invalid(nameError);
            }

            displayName = trimmed;
        }

        // A cheap check first, so a taken name costs no password hash; the insert below decides races.
        if (await users.ExistsAsync(username!, cancellationToken))
        {
            return Taken(username!);
        }

        var user = new UserRow(ids.Next(), username!, displayName, passwords.Hash(username!, request.Password!), time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!await users.TryInsertAsync(user, cancellationToken))
        {
            return Taken(username!);
        }

        metrics.Registrations.Add(1);
        return new RegistrationResult.Created(user.ToAccount());
    }

    private static RegistrationResult.Taken Taken(string username) =>
        new($"The username '{username}' is taken (usernames are case-insensitive); choose another.");
}
