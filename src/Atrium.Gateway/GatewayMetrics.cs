using System.Diagnostics.Metrics;

namespace Atrium.Gateway;

/// <summary>The gateway's own metrics (meter <c>Atrium.Gateway</c>, scraped at <c>/gateway/metrics</c>).</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Atrium.Gateway";

    private readonly Counter<long> _retries;

    public GatewayMetrics(IMeterFactory meters) =>
        _retries = meters.Create(MeterName).CreateCounter<long>(
            "atrium.gateway.retries",
            "{request}",
            "Safe requests (GET, HEAD) sent again to another server because theirs failed before answering, by method and outcome (answered, failed).");

    public void Retried(string method, bool answered) =>
        _retries.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("outcome", answered ? "answered" : "failed"));
}
