using System.Globalization;

namespace Atrium.Lab.Systems;

/// <summary>Reads counters from an Atrium's <c>/metrics</c> (Prometheus text format).</summary>
internal static class PrometheusScrape
{
    /// <summary>The sum over all label sets of the series named <paramref name="metric"/> (0 when absent: not yet counted).</summary>
    public static async Task<double> CounterAsync(HttpClient http, Uri server, string metric, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(new Uri(server, "/metrics"), cancellationToken);
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue; // another metric whose name starts with this one
            }

            var value = rest[(rest.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return total;
    }
}
