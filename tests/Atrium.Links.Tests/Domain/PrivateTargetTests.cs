using Atrium.Links.Domain;
using Xunit;

namespace Atrium.Links.Tests.Domain;

/// <summary>
/// Targets that lead into the network Atrium runs in — loopback, private, link-local and other non-public
/// addresses in every spelling a browser accepts, and local names — are refused unless private targets are allowed.
/// </summary>
public sealed class PrivateTargetTests
{
    private const string RequestHost = "short.example:5000";

    private readonly TargetUrlPolicy _policy = new(ownHosts: [], blockedHosts: ["evil.com", "203.0.113.9"]);
    private readonly TargetUrlPolicy _intranet = new(ownHosts: [], blockedHosts: ["evil.com"], allowPrivateTargets: true);

    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1", "loopback")]
    [InlineData("http://127.8.9.10:8080/admin", "127.8.9.10", "loopback")]
    [InlineData("http://10.0.0.10/", "10.0.0.10", "private network")]
    [InlineData("http://172.16.0.1/", "172.16.0.1", "private network")]
    [InlineData("http://172.31.255.255/", "172.31.255.255", "private network")]
    [InlineData("http://192.168.1.1/", "192.168.1.1", "private network")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local")]
    [InlineData("http://0.0.0.0/", "0.0.0.0", "unspecified")]
    [InlineData("http://0/", "0.0.0.0", "unspecified")]
    [InlineData("http://100.64.0.1/", "100.64.0.1", "carrier-grade NAT")]
    [InlineData("http://100.127.255.254/", "100.127.255.254", "carrier-grade NAT")]
    [InlineData("http://224.0.0.1/", "224.0.0.1", "multicast")]
    [InlineData("http://239.255.255.250/", "239.255.255.250", "multicast")]
    [InlineData("http://255.255.255.255/", "255.255.255.255", "broadcast")]
    [InlineData("http://240.0.0.1/", "240.0.0.1", "reserved")]
    [InlineData("http://192.0.0.8/", "192.0.0.8", "IETF protocol assignments")]
    [InlineData("http://192.0.2.1/", "192.0.2.1", "documentation")]
    [InlineData("http://198.51.100.7/", "198.51.100.7", "documentation")]
    [InlineData("http://203.0.113.7/", "203.0.113.7", "documentation")]
    [InlineData("http://198.18.0.1/", "198.18.0.1", "benchmarking")]
    [InlineData("http://198.19.255.1/", "198.19.255.1", "benchmarking")]
    public void Refuses_non_public_ipv4_addresses(string url, string address, string kind)
    {
        AssertPrivate(url, address, kind);
    }

    [Theory]
    [InlineData("http://2130706433/", "127.0.0.1")]
    [InlineData("http://0x7f.1/", "127.0.0.1")]
    [InlineData("http://0X7F.0.0.1/", "127.0.0.1")]
    [InlineData("http://0177.0.0.1/", "127.0.0.1")]
    [InlineData("http://00000000177.1/", "127.0.0.1")]
    [InlineData("http://127.1/", "127.0.0.1")]
    [InlineData("http://0x7f000001/", "127.0.0.1")]
    [InlineData("http://127.0.0.1./", "127.0.0.1")]
    [InlineData("http://127.1.:80/", "127.0.0.1")]
    [InlineData("http://0xa.0x0.0x0.0x1/", "10.0.0.1")]
    [InlineData("http://012.1/", "10.0.0.1")]
    [InlineData("http://3232235777/", "192.168.1.1")]
    [InlineData("http://0xA9FEA9FE/", "169.254.169.254")]
    [InlineData("http://0x/", "0.0.0.0")]
    public void Refuses_loopback_and_private_ipv4_written_the_odd_ways_browsers_accept(string url, string address)
    {
        AssertPrivate(url, address, "");
    }

    [Theory]
    [InlineData("http://[::1]/", "::1", "loopback")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:8080/", "::1", "loopback")]
    [InlineData("http://[::]/", "::", "unspecified")]
    [InlineData("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "IPv4-mapped loopback")]
    [InlineData("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1", "IPv4-mapped loopback")]
    [InlineData("http://[0:0:0:0:0:ffff:10.1.2.3]/", "::ffff:10.1.2.3", "IPv4-mapped private network")]
    [InlineData("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254", "IPv4-mapped link-local")]
    [InlineData("http://[::127.0.0.1]/", "::127.0.0.1", "IPv4-compatible loopback")]
    [InlineData("http://[::8.8.8.8]/", "::8.8.8.8", "IPv4-compatible (deprecated)")]
    [InlineData("http://[64:ff9b::a00:1]/", "64:ff9b::a00:1", "NAT64 private network")]
    [InlineData("http://[2002:7f00:1::]/", "2002:7f00:1::", "6to4 loopback")]
    [InlineData("http://[fe80::1]/", "fe80::1", "link-local")]
    [InlineData("http://[fe80::1%25eth0]/", "fe80::1", "link-local")]
    [InlineData("http://[febf::1]/", "febf::1", "link-local")]
    [InlineData("http://[fc00::1]/", "fc00::1", "unique local")]
    [InlineData("http://[fd12:3456:789a::1]/", "fd12:3456:789a::1", "unique local")]
    [InlineData("http://[fec0::1]/", "fec0::1", "site-local")]
    [InlineData("http://[ff02::1]/", "ff02::1", "multicast")]
    [InlineData("http://[2001:db8::1]/", "2001:db8::1", "documentation")]
    [InlineData("http://[3fff::1]/", "3fff::1", "documentation")]
    [InlineData("http://[2001:2::1]/", "2001:2::1", "benchmarking")]
    [InlineData("http://[100::1]/", "100::1", "discard-only")]
    public void Refuses_non_public_ipv6_addresses_and_ipv6_forms_of_private_ipv4(string url, string address, string kind)
    {
        AssertPrivate(url, address, kind);
    }

    [Theory]
    [InlineData("http://localhost/", "a loopback name")]
    [InlineData("http://LocalHost./", "a loopback name")]
    [InlineData("http://app.localhost:3000/", "a loopback name")]
    [InlineData("http://printer.local/", ".local")]
    [InlineData("http://db.internal/", ".internal")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", ".internal")]
    [InlineData("http://nas.home.arpa/", ".home.arpa")]
    [InlineData("http://intranet/", "single-label")]
    [InlineData("http://intranet./", "single-label")]
    public void Refuses_local_names(string url, string why)
    {
        Assert.False(_policy.TryValidate(url, RequestHost, out var error), $"'{url}' was accepted");
        Assert.Contains("on a local network", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.True(_intranet.TryValidate(url, RequestHost, out error), error);
    }

    [Theory]
    [InlineData("http://1.2.3.4.5/")]
    [InlineData("http://4294967296/")]
    [InlineData("http://256.0.0.1/")]
    [InlineData("http://1.2.3.256/")]
    [InlineData("http://1.256.0/")]
    [InlineData("http://09.1/")]
    [InlineData("http://0x1g.1/")]
    [InlineData("http://example.0x10/")]
    [InlineData("http://example.123/")]
    [InlineData("http://0xffffffffffffffffff01/")]
    public void Refuses_hosts_that_end_in_a_number_but_are_no_ipv4_address(string url)
    {
        Assert.False(_policy.TryValidate(url, RequestHost, out var error), $"'{url}' was accepted");
        Assert.Contains("not a valid IPv4 address", error, StringComparison.Ordinal);
        Assert.False(_intranet.TryValidate(url, RequestHost, out _), "browsers refuse these URLs, so private targets being allowed changes nothing");
    }

    [Theory]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://134744072/")]
    [InlineData("http://1.1.1.1./")]
    [InlineData("http://100.63.255.255/")]
    [InlineData("http://100.128.0.1/")]
    [InlineData("http://172.15.255.255/")]
    [InlineData("http://172.32.0.1/")]
    [InlineData("http://192.169.0.1/")]
    [InlineData("http://169.255.0.1/")]
    [InlineData("http://223.255.255.255/")]
    [InlineData("http://[2606:4700:4700::1111]/")]
    [InlineData("http://[::ffff:8.8.8.8]/")]
    [InlineData("http://[2002:808:808::]/")]
    [InlineData("http://[64:ff9b::808:808]/")]
    [InlineData("https://example.com/")]
    [InlineData("https://localhost.example.com/")]
    [InlineData("https://local.example.com/")]
    [InlineData("https://internal.example.com/")]
    [InlineData("https://shop.notlocal/")]
    [InlineData("https://example.com1/")]
    [InlineData("https://1example.com/")]
    [InlineData("https://123.example.com/")]
    public void Accepts_public_addresses_and_names(string url)
    {
        Assert.True(_policy.TryValidate(url, RequestHost, out var error), error);
    }

    [Fact]
    public void A_blocklisted_address_is_matched_in_any_spelling()
    {
        Assert.False(_policy.TryValidate("http://3405803785/", RequestHost, out var error));
        Assert.Contains("are not allowed", error, StringComparison.Ordinal);
        Assert.False(_policy.TryValidate("http://0xcb.0.0x71.9./", RequestHost, out error));
        Assert.Contains("are not allowed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_odd_spelling_of_the_services_own_address_points_to_the_service()
    {
        Assert.False(_intranet.TryValidate("http://2130706433:5000/", "127.0.0.1:5000", out var error));
        Assert.Contains("must not point to this service", error, StringComparison.Ordinal);
        Assert.False(_intranet.TryValidate("http://[::ffff:7f00:1]/", "[::ffff:127.0.0.1]", out error));
        Assert.Contains("must not point to this service", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://10.1.2.3/wiki")]
    [InlineData("http://[fd00::5]/")]
    [InlineData("http://[::ffff:192.168.0.1]/")]
    [InlineData("http://wiki.internal/")]
    public void An_intranet_deployment_may_allow_private_targets(string url)
    {
        Assert.True(_intranet.TryValidate(url, RequestHost, out var error), error);
    }

    [Fact]
    public void Allowing_private_targets_keeps_the_other_rules()
    {
        Assert.False(_intranet.TryValidate("javascript:alert(1)", RequestHost, out _));
        Assert.False(_intranet.TryValidate("http://a.evil.com/", RequestHost, out _));
        Assert.False(_intranet.TryValidate("http://short.example./", RequestHost, out _));
        Assert.False(_intranet.TryValidate("http://user@10.0.0.1/", RequestHost, out _));
    }

    private void AssertPrivate(string url, string address, string kind)
    {
        Assert.False(_policy.TryValidate(url, RequestHost, out var error), $"'{url}' was accepted");
        Assert.StartsWith($"The target URL points to a private or loopback address ({address}: ", error, StringComparison.Ordinal);
        Assert.Contains(kind, error, StringComparison.Ordinal);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }
}
