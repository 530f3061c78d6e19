using System.Globalization;
using System.Security.Claims;
using Atrium.Accounts.Data;
using Atrium.Accounts.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Accounts.Endpoints;

/// <summary>Accounts: <c>POST /api/v1/accounts</c>, <c>GET /api/v1/me</c>, <c>GET /api/v1/users/{username}</c>.</summary>
internal static class AccountApi
{
    public const string RegisterPolicy = "accounts-register";
    public const string ProfilePolicy = "accounts-profile";
    public const int MaxBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Accounts");
        group.MapPost("/accounts", Register).WithName("CreateAccount").RequireRateLimiting(RegisterPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<CreateAccountRequest>("application/json");
        group.MapGet("/me", Me).WithName("GetMe").RequireAuthorization(AuthPolicies.SignedIn);
        group.MapGet("/users/{username}", Profile).WithName("GetUserProfile").RequireRateLimiting(ProfilePolicy);
        return routes;
    }

    public static async Task<Results<Created<AccountResponse>, ProblemHttpResult>> Register(
        CreateAccountRequest request, AccountRegistrar registrar, CancellationToken cancellationToken)
    {
        var result = await registrar.RegisterAsync(request, cancellationToken);
        return result switch
        {
            RegistrationResult.Created created => TypedResults.Created($"/api/v1/users/{created.Account.Username}", ToResponse(created.Account)),
            RegistrationResult.Invalid invalid => Problems.Validation(invalid.Message),
            RegistrationResult.Taken taken => Problems.Conflict(taken.Message),
            _ => throw new InvalidOperationException($"Unhandled result {result}."),
        };
    }

    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Me(
        ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(user.RequiredUserId(), cancellationToken) is { } row
            ? TypedResults.Ok(ToResponse(row.ToAccount()))
            : Problems.NotFound("Your account no longer exists.");

    public static async Task<Results<Ok<PublicProfileResponse>, ProblemHttpResult>> Profile(
        string username, UserStore users, CancellationToken cancellationToken)
    {
        var name = UsernameRules.Normalize(username);
        return UsernameRules.Validate(name) is null && await users.FindByUsernameAsync(name, cancellationToken) is { } row
            ? TypedResults.Ok(new PublicProfileResponse(row.Username, row.DisplayName, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt)))
            : Problems.NotFound($"There is no user '{username}'.");
    }

    private static AccountResponse ToResponse(Account account) =>
        new(account.Id.ToString(CultureInfo.InvariantCulture), account.Username, account.DisplayName, account.CreatedAt);
}
