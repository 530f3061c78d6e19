using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>
/// <c>ConnectionStrings:RabbitMQ</c>: one AMQP URI (<c>amqp://user:pass@host:5672/vhost</c>), or the nodes of a cluster
/// as several URIs separated by commas. Every URI names the same user, password, virtual host and scheme (one
/// cluster, one login); only host and port differ. The client tries the nodes in random order, at the first connect
/// and at every recovery, so a node that dies hands its connections to the others.
/// </summary>
internal sealed class RabbitMqBrokers
{
    private RabbitMqBrokers(Uri first, IReadOnlyList<AmqpTcpEndpoint> endpoints)
    {
        First = first;
        Endpoints = endpoints;
    }

    /// <summary>The first URI: user, password, virtual host and TLS for every node.</summary>
    public Uri First { get; }

    public IReadOnlyList<AmqpTcpEndpoint> Endpoints { get; }

    public static RabbitMqBrokers Parse(string connectionString)
    {
        var uris = connectionString
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"
                ? uri
                : throw new FormatException($"ConnectionStrings:RabbitMQ: '{Redacted(text)}' is not an amqp:// or amqps:// URI."))
            .ToList();
        if (uris.Count == 0)
        {
            throw new FormatException("ConnectionStrings:RabbitMQ names no broker.");
        }

        var first = uris[0];
        foreach (var other in uris.Skip(1))
        {
            // A different login or virtual host on one node would be a second broker, not a node of the same cluster.
            if (other.Scheme != first.Scheme || other.UserInfo != first.UserInfo || other.AbsolutePath != first.AbsolutePath)
            {
                throw new FormatException(
                    $"ConnectionStrings:RabbitMQ: '{Redacted(other.ToString())}' differs from '{Redacted(first.ToString())}' in scheme, user or virtual host; "
                    + "the nodes of one cluster share them.");
            }
        }

        // amqps: TLS to every node, each checked against its own host name (the factory's Uri covers only the first).
        return new RabbitMqBrokers(first, [.. uris.Select(uri => uri.Scheme == "amqps"
            ? new AmqpTcpEndpoint(uri, new SslOption(uri.Host, enabled: true))
            : new AmqpTcpEndpoint(uri))]);
    }

    // Never a password in an exception message (it ends up in logs).
    private static string Redacted(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && scheme < at ? text[..(scheme + 3)] + "***" + text[at..] : text;
    }
}
