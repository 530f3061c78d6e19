using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atrium.Platform.Web;

/// <summary>Strict JSON for the API: unknown fields are an error, not silently dropped.</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
    }
}
