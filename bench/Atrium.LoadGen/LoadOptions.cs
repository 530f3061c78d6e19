using System.Globalization;

namespace Atrium.LoadGen;

/// <summary>Command-line settings (<c>--name value</c>; <c>--header</c> may repeat).</summary>
internal sealed record LoadOptions(
    Uri Url, string Method, string? Body, IReadOnlyList<(string Name, string Value)> Headers, int Rate, TimeSpan Warmup,
    TimeSpan Duration, int Connections, TimeSpan Timeout)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = new List<(string, string)>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            if (name == "header")
            {
                var colon = args[i + 1].IndexOf(':', StringComparison.Ordinal);
                headers.Add((args[i + 1][..colon].Trim(), args[i + 1][(colon + 1)..].Trim()));
            }
            else
            {
                values[name] = args[i + 1];
            }
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        double Seconds(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)).TrimEnd('s'), CultureInfo.InvariantCulture);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new LoadOptions(
            new Uri(values.TryGetValue("url", out var url) ? url : throw new ArgumentException("--url is required")),
            Get("method", "GET"),
            values.GetValueOrDefault("body"),
            headers,
            Int("rate", 1000),
            TimeSpan.FromSeconds(Seconds("warmup", 0)),
            TimeSpan.FromSeconds(Seconds("duration", 10)),
            Int("connections", 64),
            TimeSpan.FromSeconds(Seconds("timeout", 10)));
    }
}
