using Atrium.Links.Domain;
using Xunit;

namespace Atrium.Links.Tests.Domain;

public sealed class TargetUrlPolicyTests
{
    private const string RequestHost = "short.example:5000";

    private readonly TargetUrlPolicy _policy = new(
        ownHosts: ["atrium.example", "go.atrium.example:8443", "[2001:db8::a]"],
        blockedHosts: ["evil.com", " Bad.Example. ", "xn--bcher-kva.de", "", "10.0.0.1"]);

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("http://example.com/path?q=1&r=%20#fragment")]
    [InlineData("HTTPS://Example.COM/Mixed/Case")]
    [InlineData("https://example.com:8080/x")]
    [InlineData("https://notevil.com/")]
    [InlineData("https://evil.com.example.org/")]
    [InlineData("https://x.atrium.example/")]
    [InlineData("https://short.example.org/")]
    [InlineData("https://[2606:4700:4700::1111]/")]
    [InlineData("http://93.184.216.34/")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9")]
    public void Accepts_ordinary_http_and_https_urls(string url)
    {
        var accepted = _policy.TryValidate(url, RequestHost, out var error);
        Assert.Null(error);
        Assert.True(accepted);
    }

    [Theory]
    [InlineData("https://例え.jp/")]
    [InlineData("https://example.com/パス")]
    [InlineData("https://example.com/?q=é")]
    public void Refuses_non_ascii_urls_with_a_hint_to_encode_them(string url)
    {
        Assert.False(_policy.TryValidate(url, RequestHost, out var error));
        Assert.Contains("percent-encode", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Requires_a_url(string? url)
    {
        AssertRefused(url, "is required");
    }

    [Fact]
    public void Accepts_2048_characters_and_refuses_2049()
    {
        const string prefix = "https://example.com/";
        var longest = prefix + new string('a', 2048 - prefix.Length);
        Assert.Equal(2048, longest.Length);

        Assert.True(_policy.TryValidate(longest, RequestHost, out var error), error);
        AssertRefused(longest + "a", "at most 2,048 characters");
    }

    [Theory]
    [InlineData("https://example.com/a b")]
    [InlineData(" https://example.com/")]
    [InlineData("https://example.com/\n")]
    [InlineData("https://example.com/\r\nSet-Cookie: x=1")]
    [InlineData("\thttps://example.com/")]
    [InlineData("https://example.com/\u0000")]
    [InlineData("https://example.com/\u007F")]
    [InlineData("https://example.com/\u00A0")]
    [InlineData("https://example.com/\u202Eexe.pdf")]
    [InlineData("https://exa\u200Bmple.com/")]
    public void Refuses_whitespace_and_control_characters(string url)
    {
        AssertRefused(url, "whitespace or control characters");
    }

    [Theory]
    [InlineData("/path")]
    [InlineData("//example.com/x")]
    [InlineData("example.com")]
    [InlineData("example.com/path")]
    [InlineData("path?x=1")]
    [InlineData("#fragment")]
    [InlineData("1http://example.com/")]
    [InlineData("http:example.com")]
    [InlineData("http:/example.com")]
    [InlineData("https:\\\\example.com")]
    public void Refuses_relative_urls(string url)
    {
        AssertRefused(url, "must be absolute");
    }

    [Theory]
    [InlineData("ftp://example.com/file.zip", "ftp")]
    [InlineData("javascript:alert(1)", "javascript")]
    [InlineData("JavaScript://example.com/%0Aalert(1)", "JavaScript")]
    [InlineData("data:text/html,<script>alert(1)</script>", "data")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("mailto:someone@example.com", "mailto")]
    [InlineData("ws://example.com/socket", "ws")]
    [InlineData("httpx://example.com/", "httpx")]
    [InlineData("example.com:443/path", "example.com")]
    public void Allows_only_the_http_and_https_schemes(string url, string scheme)
    {
        AssertRefused(url, "Only http:// and https://");
        AssertRefused(url, $"'{scheme}:'");
    }

    [Theory]
    [InlineData("https://")]
    [InlineData("https:///path")]
    [InlineData("http://:8080/")]
    [InlineData("http://?q=1")]
    [InlineData("http://#top")]
    [InlineData("http://./")]
    public void Requires_a_host(string url)
    {
        AssertRefused(url, "must include a host");
    }

    [Theory]
    [InlineData("https://user:password@example.com/")]
    [InlineData("https://user@example.com/")]
    [InlineData("https://:secret@example.com/")]
    [InlineData("https://@example.com/")]
    [InlineData("https://example.com@evil.example/")]
    [InlineData("http://user:pass@[2606:4700::1]:8080/")]
    public void Refuses_credentials(string url)
    {
        AssertRefused(url, "must not contain credentials");
    }

    [Theory]
    [InlineData("http://%65vil.com/")]
    [InlineData("https://example.com:99999/")]
    [InlineData("https://[not-ipv6]/")]
    [InlineData("https://exa<mple.com/")]
    public void Refuses_malformed_urls(string url)
    {
        AssertRefused(url, "not a well-formed URL");
    }

    [Theory]
    [InlineData("https://short.example/abc")]
    [InlineData("http://SHORT.Example/abc")]
    [InlineData("https://short.example:5000/abc")]
    [InlineData("https://short.example.:443/abc")]
    [InlineData("https://atrium.example/x")]
    [InlineData("https://ATRIUM.example./x")]
    [InlineData("https://go.atrium.example/x")]
    [InlineData("http://[2001:db8::a]:8080/")]
    public void Refuses_links_to_atriums_own_host(string url)
    {
        AssertRefused(url, "must not point to this service");
    }

    [Fact]
    public void The_own_host_comes_from_the_request_host_without_its_port()
    {
        Assert.False(_policy.TryValidate("https://other.example/x", "other.example:8080", out var error));
        Assert.Contains("must not point to this service", error, StringComparison.Ordinal);

        Assert.False(_policy.TryValidate("http://[::1]/", "[::1]:5000", out error));
        Assert.Contains("must not point to this service", error, StringComparison.Ordinal);

        Assert.True(_policy.TryValidate("https://other.example/x", null, out error), error);
        Assert.True(_policy.TryValidate("https://other.example/x", "", out error), error);
    }

    [Theory]
    [InlineData("https://evil.com/")]
    [InlineData("https://EVIL.com/path")]
    [InlineData("https://evil.com./")]
    [InlineData("https://a.evil.com/")]
    [InlineData("https://a.b.evil.com:8443/")]
    [InlineData("https://bad.example/")]
    [InlineData("https://www.bad.example/")]
    [InlineData("https://shop.xn--bcher-kva.de/")]
    [InlineData("http://10.0.0.1:8080/")]
    public void Refuses_blocked_hosts_and_their_subdomains(string url)
    {
        AssertRefused(url, "are not allowed");
    }

    [Fact]
    public void The_blocked_message_names_the_host()
    {
        Assert.False(_policy.TryValidate("https://Sub.Evil.com/", RequestHost, out var error));
        Assert.Equal("Links to 'sub.evil.com' are not allowed.", error);
    }

    [Fact]
    public void A_blocked_entry_does_not_block_hosts_that_only_end_with_the_same_letters()
    {
        Assert.True(_policy.TryValidate("https://notevil.com/", RequestHost, out var error), error);
        Assert.True(_policy.TryValidate("https://evil.community/", RequestHost, out error), error);
        Assert.True(_policy.TryValidate("https://evil.co/", RequestHost, out error), error);
        Assert.True(_policy.TryValidate("http://110.0.0.1/", RequestHost, out error), error);
    }

    [Fact]
    public void A_unicode_blocked_entry_also_blocks_its_punycode_spelling()
    {
        var policy = new TargetUrlPolicy([], ["bücher.de"]);
        Assert.False(policy.TryValidate("https://xn--bcher-kva.de/", null, out _));
        Assert.False(policy.TryValidate("https://www.xn--bcher-kva.de/", null, out _));
        Assert.True(policy.TryValidate("https://buecher.de/", null, out var error), error);
    }

    [Fact]
    public void Without_own_or_blocked_hosts_only_the_shape_rules_apply()
    {
        var policy = new TargetUrlPolicy([], []);
        Assert.True(policy.TryValidate("https://evil.com/", null, out var error), error);
        Assert.True(policy.TryValidate("https://atrium.example/", null, out error), error);
        Assert.False(policy.TryValidate("ftp://evil.com/", null, out _));
    }

    [Fact]
    public void Each_rule_has_its_own_message()
    {
        string?[] refused =
        [
            "",
            "https://example.com/" + new string('a', 2048),
            "https://example.com/a b",
            "/relative",
            "ftp://example.com/",
            "https:///nohost",
            "https://user:pw@example.com/",
            "http://%65vil.com/",
            "https://short.example/",
            "https://evil.com/",
        ];

        var messages = refused.Select(url =>
        {
            Assert.False(_policy.TryValidate(url, RequestHost, out var error));
            return error;
        }).ToList();

        Assert.Equal(refused.Length, messages.Distinct(StringComparer.Ordinal).Count());
        Assert.All(messages, message => Assert.EndsWith(".", message, StringComparison.Ordinal));
    }

    private void AssertRefused(string? url, string expectedMessagePart)
    {
        var accepted = _policy.TryValidate(url, RequestHost, out var error);
        Assert.False(accepted, $"'{url}' was accepted");
        Assert.NotNull(error);
        Assert.Contains(expectedMessagePart, error, StringComparison.Ordinal);
    }
}
