using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atrium.Security.Tests.Support;
using Xunit;

namespace Atrium.Security.Tests.Fuzzing;

/// <summary>The bugs the generated requests found, pinned as plain tests (each answered 500 before its fix).</summary>
public sealed class HostileInputRegressionTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task An_error_is_problem_details_even_when_the_client_accepts_only_another_format(string accept)
    {
        // The framework's ProblemDetails writer declines such a request, and the 401 challenge then threw (500).
        using var client = fixture.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);

        using var malformed = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/links", UriKind.Relative))
        {
            Content = new StringContent("{", Encoding.UTF8, "application/json"),
        };
        malformed.Headers.Accept.ParseAdd(accept);
        using var bad = await fixture.CreateClient(fixture.Owner).SendAsync(malformed, TestContext.Current.CancellationToken);
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")] // decoding UTF-7 is disabled in .NET
    [InlineData("application/json; charset=nope")]
    public async Task A_body_in_a_charset_nobody_decodes_answers_415(string contentType)
    {
        using var client = fixture.CreateClient(fixture.Owner);
        using var content = new ByteArrayContent("{\"url\":\"https://example.com/\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync(new Uri("/api/v1/links", UriKind.Relative), content, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("""{"url":"\udfff"}""")]
    [InlineData("""{"url":"https://example.com/\ud800"}""")]
    [InlineData("""{"\ud800":1}""")]
    public async Task A_link_patch_with_a_lone_surrogate_answers_400_and_changes_nothing(string patch)
    {
        using var client = fixture.CreateClient(fixture.Owner);
        var path = new Uri($"/api/v1/links/{fixture.World.LinkCode}", UriKind.Relative);
        using var content = new StringContent(patch, Encoding.UTF8, new MediaTypeHeaderValue("application/merge-patch+json"));
        using var response = await client.PatchAsync(path, content, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);

        using var link = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, link.StatusCode);
        Assert.Contains("https://example.com/owned/", await link.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Null(ProblemCheck.Violation((int)response.StatusCode, response.Content.Headers.ContentType, body, headRequest: false, page: false));
    }
}
