using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atrium.Chat.Protocol;

/// <summary>The JSON of the socket protocol: camelCase, numbers as numbers (ids are strings by type), nulls written.</summary>
internal static class ChatJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// A stream event's JSON without its position (<c>"type":…}</c> after the opening brace): rendered once for every
    /// recipient, completed per recipient by <see cref="WithPos"/>.
    /// </summary>
    public static string Tail<T>(T streamEvent)
    {
        var json = Serialize(streamEvent);
        return json[1..];
    }

    /// <summary>The full frame of a stream event: its position first, then the rendered tail.</summary>
    public static string WithPos(long pos, string tail) => $"{{\"pos\":{pos},{tail}";
}
