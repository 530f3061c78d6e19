using System.ComponentModel;
using Atrium.Lab.Estimates;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Atrium.Lab.Commands;

/// <summary>Arguments of <c>estimate</c>: a preset, and any input overridden.</summary>
internal sealed class EstimateSettings : CommandSettings
{
    [CommandOption("--preset <NAME>")]
    [Description("handbook (default), links, feed or chat.")]
    public string Preset { get; init; } = "handbook";

    [CommandOption("--daily-users <N>")]
    public double? DailyUsers { get; init; }

    [CommandOption("--requests-per-user <N>")]
    [Description("Requests per user per day.")]
    public double? RequestsPerUser { get; init; }

    [CommandOption("--read-write <N>")]
    [Description("Reads per write.")]
    public double? ReadsPerWrite { get; init; }

    [CommandOption("--write-bytes <N>")]
    public double? BytesPerWrite { get; init; }

    [CommandOption("--read-bytes <N>")]
    public double? BytesPerRead { get; init; }

    [CommandOption("--replication <N>")]
    public int? Replication { get; init; }

    [CommandOption("--growth <SHARE>")]
    [Description("Yearly growth, e.g. 0.2 for 20 %.")]
    public double? Growth { get; init; }

    [CommandOption("--peak <FACTOR>")]
    [Description("Peak over average.")]
    public double? Peak { get; init; }

    [CommandOption("--hot <SHARE>")]
    [Description("Share of a day's reads worth caching (80/20: 0.2).")]
    public double? Hot { get; init; }

    [CommandOption("--node-rps <N>")]
    [Description("Requests per second one node serves (measure it: README, Performance).")]
    public double? NodeRps { get; init; }

    [CommandOption("--out <DIR>")]
    public string Out { get; init; } = "reports";

    public override ValidationResult Validate()
    {
        if (!EstimateInputs.Presets.ContainsKey(Preset))
        {
            return ValidationResult.Error($"Unknown preset '{Preset}': use one of {string.Join(", ", EstimateInputs.Presets.Keys)}.");
        }

        double?[] positive = [DailyUsers, RequestsPerUser, BytesPerWrite, BytesPerRead, Peak, NodeRps];
        if (positive.Any(v => v is <= 0) || ReadsPerWrite is < 0 || Replication is < 1 || Growth is < 0 || Hot is < 0 or > 1)
        {
            return ValidationResult.Error("Counts, sizes, peak and node throughput must be positive; --read-write and --growth ≥ 0; --replication ≥ 1; --hot between 0 and 1.");
        }

        return ValidationResult.Success();
    }

    public EstimateInputs Inputs()
    {
        var p = EstimateInputs.Presets[Preset];
        return p with
        {
            DailyUsers = DailyUsers ?? p.DailyUsers,
            RequestsPerUserPerDay = RequestsPerUser ?? p.RequestsPerUserPerDay,
            ReadsPerWrite = ReadsPerWrite ?? p.ReadsPerWrite,
            BytesPerWrite = BytesPerWrite ?? p.BytesPerWrite,
            BytesPerRead = BytesPerRead ?? p.BytesPerRead,
            ReplicationFactor = Replication ?? p.ReplicationFactor,
            YearlyGrowth = Growth ?? p.YearlyGrowth,
            PeakFactor = Peak ?? p.PeakFactor,
            HotShare = Hot ?? p.HotShare,
            NodeRequestsPerSecond = NodeRps ?? p.NodeRequestsPerSecond,
        };
    }
}
