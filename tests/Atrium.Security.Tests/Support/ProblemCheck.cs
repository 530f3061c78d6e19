using System.Net.Http.Headers;
using System.Text.Json;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// The invariant of every answer to a hostile request: never a 5xx, and every 4xx is <c>application/problem+json</c>
/// with a <c>title</c> and the same <c>status</c> (browser-facing pages answer an HTML page instead).
/// </summary>
public static class ProblemCheck
{
    /// <summary>What is wrong with the answer, or null when it keeps the invariant.</summary>
    public static string? Violation(int status, MediaTypeHeaderValue? contentType, string body, bool headRequest, bool page)
    {
        if (status >= 500)
        {
            return $"answered {status}: {Cut(body)}";
        }

        if (status < 400 || headRequest)
        {
            return null; // HEAD answers carry no body
        }

        var media = contentType?.MediaType;
        if (page && media == "text/html")
        {
            return null;
        }

        if (media != "application/problem+json")
        {
            return $"answered {status} as '{contentType}', not application/problem+json: {Cut(body)}";
        }

        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || title.GetString()!.Length == 0)
            {
                return $"answered {status} with a problem that has no title: {Cut(body)}";
            }

            if (!root.TryGetProperty("status", out var given) || given.ValueKind != JsonValueKind.Number || given.GetInt32() != status)
            {
                return $"answered {status} with a problem whose status is not {status}: {Cut(body)}";
            }
        }
        catch (JsonException ex)
        {
            return $"answered {status} with a problem that is not JSON ({ex.Message}): {Cut(body)}";
        }

        return null;
    }

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
