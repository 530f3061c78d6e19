using System.Globalization;
using Atrium.Lab.Experiments;
using Atrium.Lab.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Atrium.Lab.Commands;

/// <summary><c>run &lt;experiment&gt;</c>: runs it with progress bars, prints its table and conclusion, writes its report.</summary>
internal sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var experiments = settings.Experiment == "all"
            ? ExperimentCatalog.All
            : ExperimentCatalog.Find(settings.Experiment) is { } one ? [one] : [];
        if (experiments.Count == 0)
        {
            AnsiConsole.MarkupLine($"[red]No experiment '{Markup.Escape(settings.Experiment)}'.[/] Known: {Markup.Escape(string.Join(", ", ExperimentCatalog.All.Select(e => e.Name)))}");
            return 2;
        }

        var target = settings.Target is null ? null : new Uri(settings.Target);
        foreach (var experiment in experiments)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]: {Markup.Escape(experiment.Summary)}");
            ExperimentResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    result = await experiment.RunAsync(new ExperimentContext(settings.Quick, target, new SpectreProgress(progress)), cancellationToken);
                });

            var table = new Table().Title(Markup.Escape(result!.Title));
            foreach (var column in result.Table.Columns)
            {
                table.AddColumn(Markup.Escape(column));
            }

            foreach (var row in result.Table.Rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[green]Conclusion:[/] {Markup.Escape(result.Conclusion)}");
            var path = await ReportWriter.WriteAsync(result, settings.Out, settings.Quick, cancellationToken);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Report: [link]{Markup.Escape(path)}[/]"));
        }

        return 0;
    }
}
