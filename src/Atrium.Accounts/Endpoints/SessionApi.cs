using System.Globalization;
using Atrium.Accounts.Domain;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Atrium.Accounts.Endpoints;

/// <summary>Sessions: sign in (<c>POST /api/v1/sessions</c>), refresh, sign out (<c>DELETE /api/v1/sessions</c>).</summary>
internal static class SessionApi
{
    public const int MaxBodyBytes = 8 * 1024;
    public const string WrongCredentials = "The username or password is wrong.";

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/sessions").WithTags("Sessions");
        group.MapPost("/", SignIn).WithName("SignIn")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<SignInRequest>("application/json");
        group.MapPost("/refresh", Refresh).WithName("RefreshSession")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<RefreshTokenRequest>("application/json");
        group.MapDelete("/", SignOut).WithName("SignOut")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<RefreshTokenRequest>("application/json");
        return routes;
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> SignIn(
        SignInRequest request, HttpContext http, Sessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Username))
        {
            return Problems.Validation("username is required.");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            return Problems.Validation("password is required.");
        }

        var result = await sessions.SignInAsync(request.Username, request.Password, ClientIdentity.Address(http), cancellationToken);
        switch (result)
        {
            case SignInResult.SignedIn signedIn:
                NoStore(http);
                return TypedResults.Ok(ToResponse(signedIn.Tokens));
            case SignInResult.Throttled throttled:
                var seconds = Math.Max(1, (int)Math.Ceiling(throttled.RetryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    $"Too many failed sign-ins for this username or from this address; retry in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
            case SignInResult.Failed:
                return Unauthorized(WrongCredentials);
            default:
                throw new InvalidOperationException($"Unhandled result {result}.");
        }
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Refresh(
        RefreshTokenRequest request, HttpContext http, Sessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Problems.Validation("refreshToken is required.");
        }

        var result = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        if (result.Tokens is { } tokens)
        {
            NoStore(http);
            return TypedResults.Ok(ToResponse(tokens));
        }

        return Unauthorized(result.Status switch
        {
            RefreshStatus.Expired => "The refresh token has expired; sign in again.",
            RefreshStatus.Revoked => "The refresh token was revoked: its session was signed out or ended; sign in again.",
            RefreshStatus.Reused => "The refresh token was already used once. As a precaution every token of this session was revoked; sign in again.",
            _ => "The refresh token is not valid; sign in again.",
        });
    }

    /// <summary>Signs out: revokes the session of the refresh token. Unknown tokens answer 204 too, so signing out twice is fine.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> SignOut(
        [FromBody] RefreshTokenRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Problems.Validation("refreshToken is required.");
        }

        await sessions.SignOutAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>Tokens must not be kept by caches along the way (RFC 6749 §5.1).</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static SessionResponse ToResponse(SessionTokens tokens) =>
        new(tokens.AccessToken, tokens.ExpiresAt, tokens.RefreshToken, tokens.RefreshExpiresAt);
}
