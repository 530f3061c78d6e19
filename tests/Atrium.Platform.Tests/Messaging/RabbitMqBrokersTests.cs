using Atrium.Platform.Messaging;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

/// <summary><c>ConnectionStrings:RabbitMQ</c>: one URI, or a cluster's nodes comma-separated.</summary>
public sealed class RabbitMqBrokersTests
{
    [Fact]
    public void A_single_uri_is_one_endpoint_with_its_login_and_virtual_host()
    {
        var brokers = RabbitMqBrokers.Parse("amqp://guest:guest@127.0.0.1:5673/atrium");

        var endpoint = Assert.Single(brokers.Endpoints);
        Assert.Equal(("127.0.0.1", 5673), (endpoint.HostName, endpoint.Port));
        Assert.Equal("guest:guest", brokers.First.UserInfo);
        Assert.Equal("/atrium", brokers.First.AbsolutePath);
    }

    [Fact]
    public void Comma_separated_uris_are_the_nodes_of_one_cluster_in_their_order()
    {
        var brokers = RabbitMqBrokers.Parse("amqp://u:p@10.0.0.1:5672/v, amqp://u:p@10.0.0.2/v,amqp://u:p@10.0.0.3:5674/v");

        Assert.Equal(
            [("10.0.0.1", 5672), ("10.0.0.2", 5672), ("10.0.0.3", 5674)],
            brokers.Endpoints.Select(e => (e.HostName, e.Port)));
    }

    [Fact]
    public void Amqps_nodes_each_get_tls_checked_against_their_own_host()
    {
        var brokers = RabbitMqBrokers.Parse("amqps://u:p@mq1.example/v,amqps://u:p@mq2.example/v");

        Assert.All(brokers.Endpoints, e => Assert.True(e.Ssl.Enabled));
        Assert.Equal(["mq1.example", "mq2.example"], brokers.Endpoints.Select(e => e.Ssl.ServerName));
        Assert.All(brokers.Endpoints, e => Assert.Equal(5671, e.Port));
    }

    [Theory]
    [InlineData("amqp://u:p@a/v,amqp://u:p@b/other")]
    [InlineData("amqp://u:p@a/v,amqp://x:p@b/v")]
    [InlineData("amqp://u:p@a/v,amqps://u:p@b/v")]
    public void Nodes_that_disagree_on_login_virtual_host_or_scheme_are_refused(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => RabbitMqBrokers.Parse(connectionString));
        Assert.DoesNotContain(":p@", error.Message, StringComparison.Ordinal); // no password in a log line
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("127.0.0.1:5672")]
    [InlineData("http://u:secret@a/")]
    public void Something_that_is_not_a_list_of_amqp_uris_is_refused(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => RabbitMqBrokers.Parse(connectionString));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
