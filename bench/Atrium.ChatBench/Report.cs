using System.Globalization;
using System.Text;

namespace Atrium.ChatBench;

/// <summary>The Markdown report (reports/chat.md).</summary>
internal static class Report
{
    public static string Render(IReadOnlyList<RunResult> results, BenchOptions options)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Chat benchmark: Atrium vs a bare Kestrel WebSocket broadcast server");
        text.AppendLine();
        text.AppendLine("| scenario | server | clients | room size | offered sends/s | sends in window | deliveries | delivered msg/s | p50 (ms) | p99 (ms) | max (ms) | missing |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(c,
                $"| {r.Scenario} | {r.Server} | {r.Clients} | {r.RoomSize} | {r.OfferedRate} | {r.Sent} | {r.Delivered} | {r.DeliveredPerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Lost} |"));
        }

        text.AppendLine();
        text.AppendLine(string.Create(c, $"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores; .NET {Environment.Version}."));
        text.AppendLine(string.Create(c, $"- One run on one machine: the {options.Clients} clients (this process), Atrium (embedded shape: SQLite) and the baseline share the cores; scenarios run one after the other."));
        text.AppendLine(string.Create(c, $"- Each scenario: connect, 6 s to settle, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured; a send every 1/rate s, spread over all clients; latency = send → received by a recipient (one clock), for messages sent in the window; \"missing\" = deliveries not seen within 15 s after the window."));
        text.AppendLine("- Atrium does per message: a durable write (seq, message row, one stream row per member; on SQLite, sends that arrive together share one commit), a push to each recipient's socket in stream order, and the clients ack every 250 ms (applied in batches, moving the delivered receipts, which are stream events too). The baseline forwards the frame to the room's other sockets and stores nothing.");
        return text.ToString();
    }
}
