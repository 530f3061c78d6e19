using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Atrium.Lab.Reports;

/// <summary>Writes <c>&lt;out&gt;/&lt;experiment&gt;.md</c> and its chart <c>&lt;experiment&gt;.svg</c>.</summary>
internal static class ReportWriter
{
    public static async Task<string> WriteAsync(ExperimentResult result, string outDirectory, bool quick, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDirectory);
        var markdown = Path.Combine(outDirectory, $"{result.Experiment}.md");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Lab: {result.Title}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{result.Question}\n\n");
        text.Append(Table(result.Table));
        if (result.Chart is { } chart)
        {
            var svg = $"{result.Experiment}.svg";
            ChartRenderer.SaveSvg(chart, Path.Combine(outDirectory, svg));
            text.Append(CultureInfo.InvariantCulture, $"\n![{chart.Title}]({svg})\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n**Conclusion.** {result.Conclusion}\n\n## Settings\n\n");
        text.Append(Table(new ResultTable(["setting", "value"], result.Settings.Select(s => (IReadOnlyList<string>)[s.Name, s.Value]).ToList())));
        text.Append(CultureInfo.InvariantCulture, $"""

            ## Run

            ```
            dotnet run -c Release --project src/Atrium.Lab -- run {result.Experiment}{(quick ? " --quick" : "")}
            ```

            {Environment()}

            """);
        await File.WriteAllTextAsync(markdown, text.ToString(), cancellationToken);
        return markdown;
    }

    public static string Table(ResultTable table)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", table.Columns).Append(" |\n");
        text.Append('|').AppendJoin('|', table.Columns.Select(_ => "---")).Append("|\n");
        foreach (var row in table.Rows)
        {
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Date, commit, machine and runtime: numbers are only comparable within one run on one machine.</summary>
    public static string Environment() => string.Create(CultureInfo.InvariantCulture,
        $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Commit()}, {System.Environment.ProcessorCount} cores ({Cpu()}), " +
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}.");

    private static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            var output = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return string.IsNullOrEmpty(output) ? "unknown" : output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string Cpu()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
