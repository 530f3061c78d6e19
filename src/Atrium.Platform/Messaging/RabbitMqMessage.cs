using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Atrium.Platform.Messaging;

/// <summary>How an <see cref="EventEnvelope"/> travels as an AMQP message: id, type and time in the properties, the JSON payload as body.</summary>
internal static class RabbitMqMessage
{
    private const string OccurredAtHeader = "atrium-occurred-at";

    public static BasicProperties Properties(EventEnvelope envelope) => new()
    {
        Persistent = true,
        MessageId = envelope.Id.ToString(CultureInfo.InvariantCulture),
        Type = envelope.Type,
        ContentType = "application/json",
        Timestamp = new AmqpTimestamp(envelope.OccurredAt.ToUnixTimeSeconds()),
        Headers = new Dictionary<string, object?>
        {
            ["type"] = envelope.Type,
            [OccurredAtHeader] = envelope.OccurredAt.ToUnixTimeMilliseconds(),
        },
    };

    public static ReadOnlyMemory<byte> Body(EventEnvelope envelope) => Encoding.UTF8.GetBytes(envelope.Payload);

    /// <summary>Reads the envelope of a delivery; null when the message is not one of ours (no numeric id or no type).</summary>
    public static EventEnvelope? TryRead(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        if (!long.TryParse(properties.MessageId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var type = properties.Type ?? Text(properties.Headers, "type");
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var occurredAt = Number(properties.Headers, OccurredAtHeader) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime);
        return new EventEnvelope(id, type, Encoding.UTF8.GetString(body.Span), occurredAt);
    }

    /// <summary>How many times the queue delivered this message before (the quorum queue's <c>x-delivery-count</c>).</summary>
    public static long DeliveryCount(IReadOnlyBasicProperties properties) => Number(properties.Headers, "x-delivery-count") ?? 0;

    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? AsText(value) : null;

    public static long? Number(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? AsNumber(value) : null;

    public static string? AsText(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => null,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static long? AsNumber(object? value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        uint u => u,
        ulong ul => (long)ul,
        byte[] or string => long.TryParse(AsText(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => null,
    };
}
