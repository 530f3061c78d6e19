using Microsoft.AspNetCore.Http;

namespace Atrium.Platform.Web;

/// <summary>
/// The messages of errors the framework raises before a handler runs, so a client always learns what
/// was wrong, whichever middleware produced the status.
/// </summary>
internal static class ProblemText
{
    public const string UnsupportedMediaType = "Send the body as JSON with 'Content-Type: application/json'.";
    public const string TooLarge = "The request body is larger than this endpoint accepts.";
    public const string BodyRequired = "A JSON request body is required.";
    public const string MethodNotAllowed = "This resource does not support that HTTP method.";
    public const string NotFound = "There is nothing at this address.";

    /// <summary>Fills in a detail for bare status codes (from status-code pages) that have none.</summary>
    public static void AddDetail(ProblemDetailsContext context)
    {
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
            StatusCodes.Status413PayloadTooLarge => TooLarge,
            StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
            StatusCodes.Status404NotFound => NotFound,
            _ => null,
        };
    }
}
