using Atrium.Platform.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// The access-token scheme: JWTs from <see cref="AccessTokens"/>, checked against the shared
/// <see cref="SigningKeyRing"/> (issuer and audience "atrium", HS256 only, lifetime on the registered
/// <see cref="TimeProvider"/>), claims as issued (<c>sub</c>, <c>name</c>; no renaming to .NET claim types).
/// </summary>
internal sealed class JwtBearerSetup(SigningKeyRing ring, TimeProvider time, IOptions<AccountsOptions> options)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name != AccountsAuthentication.BearerScheme)
        {
            return;
        }

        bearer.MapInboundClaims = false;
        bearer.TimeProvider = time;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = AccessTokens.Issuer,
            ValidAudience = AccessTokens.Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.ValidationKeys(kid),
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = options.Value.ClockSkew,
            LifetimeValidator = ValidateLifetime,
            NameClaimType = CurrentUser.NameClaim,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = PrepareAsync,
            OnChallenge = ChallengeAsync,
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    /// <summary>The token's lifetime against the registered clock (which tests move), with the configured skew.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException($"The token is not valid before {start:O}.") { NotBefore = start };
        }

        if (expiry < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException($"The token expired at {expiry:O}.") { Expires = expiry };
        }

        return true;
    }

    /// <summary>Reads the token, and makes sure the key ring knows the key it names (a key another node just made).</summary>
    private static async Task PrepareAsync(MessageReceivedContext context)
    {
        if (Credentials.BearerToken(context.Request) is not { } token)
        {
            return;
        }

        context.Token = token;
        var ring = context.HttpContext.RequestServices.GetRequiredService<SigningKeyRing>();
        await ring.PrepareToValidateAsync(KeyIdOf(token), context.HttpContext.RequestAborted);
    }

    private static string? KeyIdOf(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null; // malformed: the handler says so
        }
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure;
        context.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var detail = failure switch
        {
            SecurityTokenExpiredException => AuthenticationProblems.TokenExpired,
            not null => AuthenticationProblems.TokenInvalid,
            null when context.Request.Headers.Authorization.Count > 0 => AuthenticationProblems.NotBearer,
            null => AuthenticationProblems.NoCredentials,
        };
        await AuthenticationProblems.WriteUnauthorizedAsync(context.HttpContext, detail);
    }
}
