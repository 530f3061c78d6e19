using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Accounts.Authentication;

/// <summary>The 401 answers of the authentication schemes, as ProblemDetails that say what to do.</summary>
internal static class AuthenticationProblems
{
    public const string Title = "Unauthorized";
    public const string NoCredentials = "Sign in first: send an access token ('Authorization: Bearer <token>') or an API key ('X-Api-Key: <key>').";
    public const string NotBearer = "Send the access token as 'Authorization: Bearer <token>', or an API key as 'X-Api-Key: <key>'.";
    public const string TokenExpired = "The access token has expired; get a new one with POST /api/v1/sessions/refresh.";
    public const string TokenInvalid = "The access token is not valid.";
    public const string ApiKeyMalformed = "The X-Api-Key header does not hold an API key (one value starting with 'atr_').";
    public const string ApiKeyUnknown = "The API key is not valid: it does not exist or was deleted.";

    public static async Task WriteUnauthorizedAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = Title, Detail = detail },
        });
    }
}
