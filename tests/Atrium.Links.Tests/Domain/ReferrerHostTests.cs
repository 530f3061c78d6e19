using Atrium.Links.Domain;
using Xunit;

namespace Atrium.Links.Tests.Domain;

public sealed class ReferrerHostTests
{
    [Theory]
    [InlineData("https://www.Google.com/search?q=atrium", "www.google.com")]
    [InlineData("http://t.co/abc123", "t.co")]
    [InlineData("HTTPS://NEWS.YCOMBINATOR.COM/item?id=1", "news.ycombinator.com")]
    [InlineData("https://example.com:8443/page", "example.com")]
    [InlineData("https://example.com./", "example.com")]
    [InlineData("https://user:pw@example.com/", "example.com")]
    [InlineData("https://[2001:db8::1]:8080/", "[2001:db8::1]")]
    [InlineData("http://192.168.1.10/", "192.168.1.10")]
    public void Takes_the_lower_case_host_of_an_http_or_https_referer(string referer, string host)
    {
        Assert.Equal(host, ReferrerHost.From(referer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("//example.com/protocol-relative")]
    [InlineData("example.com")]
    [InlineData("android-app://com.google.android.gm/")]
    [InlineData("ftp://files.example.com/")]
    [InlineData("file:///home/me/page.html")]
    [InlineData("about:blank")]
    [InlineData("http://")]
    public void Counts_a_missing_or_unusable_referer_as_direct(string? referer)
    {
        Assert.Equal("(direct)", ReferrerHost.From(referer));
        Assert.Equal(ReferrerHost.Direct, ReferrerHost.From(referer));
    }
}
