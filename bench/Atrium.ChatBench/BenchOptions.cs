using System.Globalization;

namespace Atrium.ChatBench;

/// <summary>Command-line settings: <c>--name value</c> pairs; every one has a default.</summary>
internal sealed record BenchOptions(
    Uri Atrium, Uri Baseline, int Clients, int GroupSize, int DirectRate, int GroupRate, TimeSpan Warmup, TimeSpan Duration, string Report,
    int Rounds, int Idle, TimeSpan Hold, string IdleTarget, int ServerPid)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new BenchOptions(
            new Uri(Get("atrium", "http://127.0.0.1:5391")),
            new Uri(Get("baseline", "http://127.0.0.1:5390")),
            Int("clients", 1000),
            Int("group-size", 100),
            Int("direct-rate", 1000),
            Int("group-rate", 50),
            TimeSpan.FromSeconds(Int("warmup", 5)),
            TimeSpan.FromSeconds(Int("seconds", 20)),
            Get("report", "reports/chat-table.md"),
            Int("rounds", 3),
            Int("idle", 0),
            TimeSpan.FromSeconds(Int("hold", 20)),
            Get("target", "atrium"),
            Int("pid", 0));
    }
}
