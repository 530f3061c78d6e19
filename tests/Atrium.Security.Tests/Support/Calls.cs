using System.Net;
using System.Net.Http.Json;
using Atrium.Testing;
using Xunit;

namespace Atrium.Security.Tests.Support;

/// <summary>One HTTP call and the checks every access test makes of its answer.</summary>
internal static class Calls
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Calls and checks the status; a 4xx must be ProblemDetails and must not contain <paramref name="secret"/> (the
    /// object's content: someone who may not see it learns nothing from the error either). Returns the body.
    /// </summary>
    public static async Task<string> ExpectAsync(
        this HttpClient client, HttpMethod method, string path, HttpStatusCode status, object? body = null, string? secret = null)
    {
        using var response = await client.SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if ((int)status >= 400)
        {
            Assert.Null(ProblemCheck.Violation((int)response.StatusCode, response.Content.Headers.ContentType, text, false, false));
            if (secret is not null)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// As <see cref="ExpectAsync"/>, once the answer has become <paramref name="status"/>: for a read that may go to a
    /// replica still behind another user's write (the distributed shape).
    /// </summary>
    public static async Task<string> ExpectEventuallyAsync(
        this HttpClient client, HttpMethod method, string path, HttpStatusCode status, string? secret = null)
    {
        await Eventually.ReachesAsync(
            async () =>
            {
                using var response = await client.SendAsync(method, path);
                return response.StatusCode;
            },
            answer => answer == status,
            $"{method} {path} to answer {(int)status}");
        return await client.ExpectAsync(method, path, status, secret: secret);
    }
}
