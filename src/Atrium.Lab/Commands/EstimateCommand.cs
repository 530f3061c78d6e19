using System.Globalization;
using Atrium.Lab.Estimates;
using Atrium.Lab.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Atrium.Lab.Commands;

/// <summary><c>estimate</c>: back-of-envelope capacity, printed and written to reports/estimate-&lt;preset&gt;.md.</summary>
internal sealed class EstimateCommand : AsyncCommand<EstimateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EstimateSettings settings, CancellationToken cancellationToken)
    {
        var inputs = settings.Inputs();
        var estimate = CapacityEstimate.From(inputs);
        var table = Table(inputs, estimate);
        var console = new Table().Title($"Estimate: {Markup.Escape(inputs.Name)}").AddColumn("quantity").AddColumn("value");
        foreach (var row in table.Rows)
        {
            console.AddRow(Markup.Escape(row[0]), Markup.Escape(row[1]));
        }

        AnsiConsole.Write(console);
        Directory.CreateDirectory(settings.Out);
        var path = Path.Combine(settings.Out, $"estimate-{inputs.Name}.md");
        await File.WriteAllTextAsync(path, $"# Back-of-envelope estimate: {inputs.Name}\n\n{ReportWriter.Table(table)}\n{ReportWriter.Environment()}\n", cancellationToken);
        AnsiConsole.MarkupLine($"Report: {Markup.Escape(path)}");
        return 0;
    }

    public static ResultTable Table(EstimateInputs i, CapacityEstimate e)
    {
        string N(double v) => Units.Count(v);
        string B(double v) => Units.Bytes(v);
        return new ResultTable(["quantity", "value"],
        [
            ["inputs", string.Create(CultureInfo.InvariantCulture, $"{N(i.DailyUsers)} daily users × {i.RequestsPerUserPerDay:0.#} requests, {i.ReadsPerWrite:0.#} reads per write, {B(i.BytesPerWrite)} per write, {B(i.BytesPerRead)} per read, ×{i.ReplicationFactor} replicas, +{i.YearlyGrowth:P0}/year, peak ×{i.PeakFactor:0.#}")],
            ["average QPS", N(e.AverageQps)],
            ["peak QPS", N(e.PeakQps)],
            ["writes/s (average)", N(e.WriteQps)],
            ["reads/s (average)", N(e.ReadQps)],
            ["storage, first year (with replicas)", B(e.StorageFirstYearBytes)],
            ["storage after three years", B(e.StorageThirdYearBytes)],
            ["bandwidth in", B(e.IngressBytesPerSecond) + "/s"],
            ["bandwidth out", B(e.EgressBytesPerSecond) + "/s"],
            ["cache for the hot set", string.Create(CultureInfo.InvariantCulture, $"{B(e.CacheBytes)} ({i.HotShare:P0} of a day's reads)")],
            ["servers at peak", string.Create(CultureInfo.InvariantCulture, $"{e.Servers} (at {N(i.NodeRequestsPerSecond)} requests/s each, N + 1)")],
        ]);
    }
}
