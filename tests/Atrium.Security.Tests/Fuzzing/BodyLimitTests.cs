using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atrium.Security.Tests.Support;
using Atrium.Testing;
using Xunit;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>
/// Body limits hold on the real server: the in-memory test server does not enforce <c>RequestSizeLimit</c>, so this
/// runs Atrium as its own process on Kestrel and sends every operation that takes a body one larger than any limit:
/// each answers 413 with ProblemDetails.
/// </summary>
public sealed class BodyLimitTests
{
    [Fact]
    public async Task Every_body_larger_than_the_limit_is_refused_with_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = TempDirectory.Create("atrium-security");
        try
        {
            await CheckEveryBodyLimitAsync(dataDirectory, ct);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held: the temp directory is cleaned by the OS
            }
        }
    }

    private static async Task CheckEveryBodyLimitAsync(string dataDirectory, CancellationToken ct)
    {
        await using var server = await AtriumProcess.StartAsync(dataDirectory, ct);
        using var client = server.CreateClient();
        var user = await TestUsers.SignUpAsync(client, ct);
        client.As(user);
        var operations = await OpenApiDocument.FetchAsync(client, ct);

        var failures = new List<string>();
        var refused = new List<string>();
        foreach (var operation in operations.Where(o => o.HasBody))
        {
            var field = operation.BodyProperties.Count > 0 ? operation.BodyProperties[0].Name : "url";
            var body = Encoding.UTF8.GetBytes($"{{\"{field}\":\"{new string('a', HostileValues.OversizedBytes)}\"}}");
            var target = operation.Path.Replace("{code}", "abcdefg", StringComparison.Ordinal).Replace("{id}", "1", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(target, UriKind.Relative))
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(operation.BodyContentTypes[0]);

            // Kestrel refuses a Content-Length over the limit as soon as the endpoint reads, and closes the connection:
            // a client still sending the megabyte would see a broken pipe, not the answer. Asking first (100-continue)
            // is what a careful client does, and gets it the 413 before it sends the body.
            request.Headers.ExpectContinue = true;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(HostileSender.Deadline);
            using var response = await client.SendAsync(request, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (ProblemCheck.Violation((int)response.StatusCode, response.Content.Headers.ContentType, text, false, false) is { } violation)
            {
                failures.Add($"{operation}: {violation}");
            }

            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            {
                refused.Add(operation.ToString());
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Every endpoint that takes a body declares a limit (none falls back to Kestrel's default of 30 MB).
        Assert.Equal(operations.Where(o => o.HasBody).Select(o => o.ToString()).Order(), refused.Order());
    }
}
