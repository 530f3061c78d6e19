using System.Net;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// The link shortener's own HTML pages (not found, gone, preview) echo the code from the address bar and the target:
/// both come back HTML-encoded, and every page forbids script outright (Content-Security-Policy).
/// </summary>
public sealed class LinkPageSecurityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Markup = "<img src=x onerror=alert(1)>";

    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    public async Task An_unknown_code_of_markup_is_echoed_encoded(string suffix)
    {
        using var response = await _client.GetPathAsync($"/{Uri.EscapeDataString(Markup)}{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.TextAsync();
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
        AssertScriptForbidden(response);
    }

    [Fact]
    public async Task A_target_with_markup_is_encoded_in_the_preview()
    {
        var url = $"https://example.com/{Guid.NewGuid():N}?q=\"><svg/onload=alert(1)>";
        var link = await _client.CreateLinkAsync(url);

        using var response = await _client.GetPathAsync($"/{link.Code}+");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.TextAsync();
        Assert.DoesNotContain("<svg", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&quot;&gt;&lt;svg/onload=alert(1)&gt;", page, StringComparison.Ordinal);
        AssertScriptForbidden(response);
    }

    [Fact]
    public async Task The_gone_page_forbids_script_too()
    {
        var link = await _client.CreateLinkAsync(TestData.Url());
        using (var disable = await _client.DeletePathAsync($"/api/v1/links/{link.Code}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        }

        using var response = await _client.GetPathAsync($"/{link.Code}");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        AssertScriptForbidden(response);
    }

    private static void AssertScriptForbidden(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), "no Content-Security-Policy");
        var policy = Assert.Single(values);
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
