using System.Text.Json;

namespace Atrium.Platform.Messaging;

/// <summary>The one JSON shape of event payloads, shared by publisher and consumers.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
