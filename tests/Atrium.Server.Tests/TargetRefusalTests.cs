using System.Net;
using System.Text;
using Atrium.Server.Tests.Support;
using Xunit;

namespace Atrium.Server.Tests;

/// <summary>
/// Targets a short link must never lead to — script and local-file schemes, Atrium itself, private and loopback
/// addresses in every spelling a browser accepts, local names, blocklisted hosts — are refused with a 400 problem
/// that says why, both when a link is created and when its target is edited.
/// </summary>
public sealed class TargetRefusalTests(TargetPolicyFixture fixture) : IClassFixture<TargetPolicyFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    public static TheoryData<string, string> Refused => new()
    {
        { "javascript:alert(document.cookie)", "Only http:// and https://" },
        { "JaVaScRiPt:alert(1)", "Only http:// and https://" },
        { "data:text/html,<script>alert(1)</script>", "Only http:// and https://" },
        { "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "Only http:// and https://" },
        { "vbscript:msgbox(1)", "Only http:// and https://" },
        { "file:///etc/passwd", "Only http:// and https://" },
        { "file://server/share/doc.txt", "Only http:// and https://" },
        { "http://localhost/loop", "this service" },
        { "http://LocalHost:8080/loop", "this service" },
        { "http://localhost./loop", "this service" },
        { "https://atr.example/abc", "this service" },
        { "https://ATR.Example.:8443/abc", "this service" },
        { "http://127.0.0.1/", "private or loopback address (127.0.0.1: loopback)" },
        { "http://2130706433/", "private or loopback address (127.0.0.1: loopback)" },
        { "http://0x7f.1/", "private or loopback address (127.0.0.1: loopback)" },
        { "http://0177.0.0.1/", "private or loopback address (127.0.0.1: loopback)" },
        { "http://127.1/", "private or loopback address (127.0.0.1: loopback)" },
        { "http://127.0.0.1./", "private or loopback address (127.0.0.1: loopback)" },
        { "http://10.1.2.3/", "(10.1.2.3: private network)" },
        { "http://172.16.5.4/", "(172.16.5.4: private network)" },
        { "http://192.168.0.1/router", "(192.168.0.1: private network)" },
        { "http://169.254.169.254/latest/meta-data/", "(169.254.169.254: link-local)" },
        { "http://0.0.0.0:8080/", "(0.0.0.0: unspecified" },
        { "http://100.64.1.1/", "(100.64.1.1: carrier-grade NAT" },
        { "http://224.0.0.251/", "(224.0.0.251: multicast)" },
        { "http://255.255.255.255/", "(255.255.255.255: broadcast)" },
        { "http://192.0.2.10/", "(192.0.2.10: documentation)" },
        { "http://198.51.100.10/", "(198.51.100.10: documentation)" },
        { "http://203.0.113.10/", "(203.0.113.10: documentation)" },
        { "http://198.18.0.10/", "(198.18.0.10: benchmarking)" },
        { "http://[::1]/", "(::1: loopback)" },
        { "http://[::]/", "(::: unspecified)" },
        { "http://[::ffff:127.0.0.1]/", "(::ffff:127.0.0.1: IPv4-mapped loopback)" },
        { "http://[::ffff:a00:1]/", "(::ffff:10.0.0.1: IPv4-mapped private network)" },
        { "http://[::127.0.0.1]/", "(::127.0.0.1: IPv4-compatible loopback)" },
        { "http://[fe80::1%25eth0]/", "(fe80::1: link-local)" },
        { "http://[fd00:1234::1]/", "(fd00:1234::1: unique local" },
        { "http://[ff02::1]/", "(ff02::1: multicast)" },
        { "http://[2001:db8::1]/", "(2001:db8::1: documentation)" },
        { "http://app.localhost/", "a loopback name" },
        { "http://printer.local/", ".local" },
        { "http://metadata.google.internal/", ".internal" },
        { "http://nas.home.arpa/", ".home.arpa" },
        { "http://intranet/", "single-label" },
        { "http://1.2.3.4.5/", "not a valid IPv4 address" },
        { "https://evil.example/phish", "'evil.example' are not allowed" },
        { "https://login.evil.example./phish", "'login.evil.example' are not allowed" },
        { "https://EVIL.example:8443/", "'evil.example' are not allowed" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Creating_a_link_to_a_refused_target_answers_400_saying_why(string url, string detailMentions)
    {
        using var response = await _client.PostLinkAsync(new NewLink(url));

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Editing_a_link_to_a_refused_target_answers_400_and_keeps_the_old_target(string url, string detailMentions)
    {
        var link = await _client.CreateLinkAsync(TestData.Url());

        using var response = await _client.PatchAsync(
            Api.Relative($"{Api.LinksPath}/{link.Code}"),
            new StringContent(Api.Serialize(new NewLink(url)), Encoding.UTF8, "application/merge-patch+json"),
            TestContext.Current.CancellationToken);

        var problem = await Api.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.Detail, StringComparison.Ordinal);
        using var redirect = await _client.GetPathAsync($"/{link.Code}");
        Assert.Equal(link.Url, redirect.Location());
    }

    [Theory]
    [InlineData("https://example.com/page")]
    [InlineData("http://93.184.216.34/")]
    [InlineData("http://134744072/dns")]
    [InlineData("http://[2606:4700:4700::1111]/")]
    [InlineData("http://[::ffff:8.8.8.8]/")]
    [InlineData("https://notevil.example/")]
    [InlineData("https://evil.example.org/")]
    [InlineData("https://localhost.example.com/")]
    [InlineData("https://atr.example.net/")]
    public async Task Public_targets_are_accepted_and_redirected_to_exactly_as_given(string url)
    {
        var link = await _client.CreateLinkAsync(url);

        using var redirect = await _client.GetPathAsync($"/{link.Code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal(url, redirect.Location());
    }
}
