using System.Globalization;
using System.Text;

namespace Atrium.ChatBench;

/// <summary>The results table of scripts/bench.sh chat: every round, then the median of each scenario and server.</summary>
internal static class Report
{
    public static string Render(IReadOnlyList<RunResult> results, BenchOptions options)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("| scenario | server | round | offered sends/s | sends in window | deliveries (distinct) | delivered msg/s | missing | duplicates | p50 (ms) | p99 (ms) | max (ms) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results.OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Server, StringComparer.Ordinal).ThenBy(r => r.Round))
        {
            text.AppendLine(c, $"| {r.Scenario} | {r.Server} | {r.Round} | {r.OfferedRate} | {r.Sent} | {r.Delivered} | {r.DeliveredPerSecond:0} | {r.Lost} | {r.Duplicates} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Medians of {options.Rounds} rounds (missing and duplicates: totals over the rounds):");
        text.AppendLine();
        text.AppendLine("| scenario | server | delivered msg/s | p50 (ms) | p99 (ms) | missing | duplicates |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var g in results.GroupBy(r => (r.Scenario, r.Server)).OrderBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Server, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"| {g.Key.Scenario} | {g.Key.Server} | {Median(g.Select(r => r.DeliveredPerSecond)):0} | {Median(g.Select(r => r.P50Ms)):0.0} | **{Median(g.Select(r => r.P99Ms)):0.0}** | {g.Sum(r => r.Lost)} | {g.Sum(r => r.Duplicates)} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"- {options.Clients} clients (one process), Atrium (embedded shape: SQLite) and the baseline share the machine's cores; each round connects every client afresh.");
        text.AppendLine(c, $"- Each run: connect, 6 s to settle, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured. Sends are open loop: send k is due at k / rate, spread over all clients, and carries that intended time; latency = intended send → received by a recipient (one clock), for messages sent in the window.");
        text.AppendLine("- \"delivered msg/s\" counts distinct deliveries (message × recipient) of messages sent in the window, divided by the window; \"missing\" = deliveries not seen within 15 s after it; \"duplicates\" = a message received again by the same recipient.");
        text.AppendLine("- Atrium does per message: a durable write (seq, message row, one stream row per member; on SQLite, sends that arrive together share one commit), a push to each recipient's socket in stream order, and the clients ack every 250 ms as the web client does (applied in batches, moving the delivered receipts, which are stream events too). The baseline forwards the frame to the room's other sockets and stores nothing.");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
