using System.Globalization;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Reads counters from a node's Prometheus scrape (<c>/metrics</c>).</summary>
public static class NodeMetrics
{
    /// <summary>Duplicate deliveries the inbox absorbed on this node since it started (<c>atrium_events_consumed_total{duplicate="true"}</c>).</summary>
    public static Task<long> DuplicatesAbsorbedAsync(HttpClient client, string consumer, CancellationToken cancellationToken) =>
        SumAsync(client, "atrium_events_consumed_total", [$"consumer=\"{consumer}\"", "duplicate=\"true\""], cancellationToken);

    /// <summary>Times a fail point fired on this node since it started (<c>atrium_failpoints_fired_total</c>).</summary>
    public static Task<long> FailPointsFiredAsync(HttpClient client, string point, CancellationToken cancellationToken) =>
        SumAsync(client, "atrium_failpoints_fired_total", [$"point=\"{point}\""], cancellationToken);

    /// <summary>The sum of a counter's series whose labels include every one of <paramref name="labels"/>.</summary>
    public static async Task<long> SumAsync(HttpClient client, string metric, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        long sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            {
                // "name{labels} value [timestamp]"
                var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
                sum += (long)double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
