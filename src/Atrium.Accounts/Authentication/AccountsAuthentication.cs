using Atrium.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts.Authentication;

/// <summary>
/// The authentication schemes and the policies of <see cref="AuthPolicies"/>. There is deliberately no
/// default scheme: a request is authenticated only when its endpoint names a policy, so the redirect
/// never pays for it. Both policies use <see cref="Scheme"/>, which forwards to the API-key scheme when
/// an <c>X-Api-Key</c> header is present and to the access-token scheme otherwise.
/// </summary>
internal static class AccountsAuthentication
{
    public const string Scheme = "Atrium";
    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;
    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddAccountsAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, "Access token or API key", scheme => scheme.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(Credentials.ApiKeyHeader) ? ApiKeyScheme : BearerScheme)
            .AddJwtBearer(BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null);
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.SignedIn, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser())
            .AddPolicy(AuthPolicies.SignedInOrAnonymous, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAssertion(SignedInOrNoCredentials));
        return services;
    }

    /// <summary>Anonymous is fine; a credential that was sent but did not sign anyone in is not (401).</summary>
    private static bool SignedInOrNoCredentials(AuthorizationHandlerContext context) =>
        context.User.Identities.Any(identity => identity.IsAuthenticated)
        || context.Resource is HttpContext http && !Credentials.Presented(http.Request);
}
