using System.Text.Json;

namespace Atrium.Links.Endpoints;

/// <summary>
/// A JSON merge patch (RFC 7396) of a link's editable fields: an absent field stays as it is, a
/// present one is replaced, and <c>null</c> removes an expiry or a visit limit.
/// </summary>
internal sealed record LinkPatch(
    bool SetsUrl, string? Url, bool SetsExpiresAt, DateTimeOffset? ExpiresAt, bool SetsMaxVisits, long? MaxVisits)
{
    public static readonly string[] Fields = ["url", "expiresAt", "maxVisits"];

    /// <summary>Reads a patch document; on failure returns null and says why.</summary>
    public static LinkPatch? Parse(JsonElement document, out string? error)
    {
        error = null;
        if (document.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object with any of: url, expiresAt, maxVisits.";
            return null;
        }

        try
        {
            return Read(document, out error);
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to turn an escaped lone surrogate ("\ud800") into a string: the client's text is broken.
            error = "The body holds a string that is not valid Unicode (a lone surrogate escape).";
            return null;
        }
    }

    private static LinkPatch? Read(JsonElement document, out string? error)
    {
        error = null;
        var patch = new LinkPatch(false, null, false, null, false, null);
        foreach (var field in document.EnumerateObject())
        {
            switch (field.Name)
            {
                case "url" when field.Value.ValueKind == JsonValueKind.String:
                    patch = patch with { SetsUrl = true, Url = field.Value.GetString() };
                    break;
                case "expiresAt" when field.Value.ValueKind == JsonValueKind.Null:
                    patch = patch with { SetsExpiresAt = true, ExpiresAt = null };
                    break;
                case "expiresAt" when field.Value.ValueKind == JsonValueKind.String && field.Value.TryGetDateTimeOffset(out var expiresAt):
                    patch = patch with { SetsExpiresAt = true, ExpiresAt = expiresAt };
                    break;
                case "maxVisits" when field.Value.ValueKind == JsonValueKind.Null:
                    patch = patch with { SetsMaxVisits = true, MaxVisits = null };
                    break;
                case "maxVisits" when field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt64(out var maxVisits):
                    patch = patch with { SetsMaxVisits = true, MaxVisits = maxVisits };
                    break;
                case "url" or "expiresAt" or "maxVisits":
                    error = $"The value of '{field.Name}' has the wrong type.";
                    return null;
                default:
                    error = $"Unknown or read-only field '{field.Name}'; a link's editable fields are: {string.Join(", ", Fields)}.";
                    return null;
            }
        }

        return patch;
    }
}
