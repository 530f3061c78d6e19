using System.Threading.RateLimiting;
using Atrium.Accounts.Authentication;
using Atrium.Accounts.Data;
using Atrium.Accounts.Endpoints;
using Atrium.Platform;
using Atrium.Platform.RateLimiting;
using Atrium.Platform.Users;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atrium.Accounts;

/// <summary>
/// Users, sign-in, tokens and API keys (DESIGN.md §3, Accounts). Defines what the policies of
/// <see cref="AuthPolicies"/> accept: an access token (<c>Authorization: Bearer</c>) or an API key (<c>X-Api-Key</c>).
/// </summary>
public static class AccountsModule
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountsOptions>()
            .Bind(builder.Configuration.GetSection("Accounts"))
            .Validate(o => o.PasswordIterations >= 1, "Accounts:PasswordIterations must be at least 1.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > TimeSpan.Zero, "Accounts token lifetimes must be positive.")
            .Validate(o => o.SigningKeyRotation > o.AccessTokenLifetime, "Accounts:SigningKeyRotation must be longer than Accounts:AccessTokenLifetime.")
            .Validate(o => o.SigningKeyRefresh > TimeSpan.Zero && o.LoginFailureWindow > TimeSpan.Zero, "Accounts intervals must be positive.")
            .ValidateOnStart();
        services.AddMigrations("Accounts", typeof(AccountsModule).Assembly);

        services.AddSingleton<AccountsMetrics>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<IUserDirectory, UserDirectory>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AccountRegistrar>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<SigningKeyRing>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddHostedService<RefreshTokenSweeper>();
        services.AddAccountsAuthentication();

        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountsOptions>>((limiter, accounts) =>
        {
            var settings = accounts.Value;
            var perHour = Math.Max(1, settings.RegistrationsPerHour);
            limiter.AddPolicy(AccountApi.RegisterPolicy, context => context.TokenBucketPartition(
                AccountApi.RegisterPolicy, ClientIdentity.Address(context), new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, settings.RegistrationBurst),
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromHours(1) / perHour,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.AddPerClientTokenBucket(AccountApi.ProfilePolicy, settings.ProfileReadsPerMinute, settings.ProfileReadsBurst);
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        routes.MapAccountApi();
        routes.MapSessionApi();
        routes.MapApiKeyApi();
        return routes;
    }
}
