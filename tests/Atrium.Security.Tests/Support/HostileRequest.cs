using System.Text;

namespace Atrium.Security.Tests.Support;

/// <summary>
/// One generated request: the operation it aims at, the request target (path and query, already percent-encoded, so
/// it can carry invalid UTF-8), extra headers, and a body of raw bytes (which need not be JSON, nor UTF-8).
/// </summary>
public sealed record HostileRequest(
    ApiOperation Operation,
    string Kind,
    Caller Caller,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType)
{
    private const int Preview = 160;

    /// <summary>What a failure report shows: enough to replay the request by hand, with long parts cut.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"[{Kind}] {Caller} {Operation.Method} {Cut(Target)}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfoInvariant($" | {name}: {Cut(value)}"));
        }

        if (ContentType is not null)
        {
            text.Append(CultureInfoInvariant($" | Content-Type: {ContentType}"));
        }

        if (Body is not null)
        {
            text.Append(CultureInfoInvariant($" | body ({Body.Length} bytes): {Cut(Encoding.UTF8.GetString(Body))}"));
        }

        return text.ToString();
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Cut(string text) =>
        text.Length <= Preview ? Escape(text) : $"{Escape(text[..Preview])}…(+{text.Length - Preview} chars)";

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
