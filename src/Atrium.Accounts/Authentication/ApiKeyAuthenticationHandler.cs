using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Atrium.Accounts.Data;
using Atrium.Accounts.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// The <c>X-Api-Key</c> scheme: no header, no result (another scheme or anonymous); a key that is
/// malformed, unknown or deleted fails (401); a known key signs in its owner with the same claims an
/// access token carries (<c>sub</c>, <c>name</c>).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    ApiKeyUsage usage) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Credentials.ApiKeyHeader, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count != 1 || values[0] is not { } key || !SecretTokens.LooksLikeApiKey(key))
        {
            return AuthenticateResult.Fail(AuthenticationProblems.ApiKeyMalformed);
        }

        var owner = await keys.FindAsync(SecretTokens.Hash(key), Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail(AuthenticationProblems.ApiKeyUnknown);
        }

        await usage.RecordAsync(owner.KeyId, Context.RequestAborted);
        var identity = new ClaimsIdentity(
            [
                new Claim(CurrentUser.IdClaim, owner.UserId.ToString(CultureInfo.InvariantCulture)),
                new Claim(CurrentUser.NameClaim, owner.Username),
            ],
            Scheme.Name,
            CurrentUser.NameClaim,
            null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthenticationProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message ?? AuthenticationProblems.NoCredentials);
    }
}
