using Atrium.Lab.Experiments;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Atrium.Lab.Commands;

/// <summary><c>list</c>: the experiments and what each compares.</summary>
internal sealed class ListCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumn("experiment").AddColumn("compares");
        foreach (var experiment in ExperimentCatalog.All)
        {
            table.AddRow(Markup.Escape(experiment.Name), Markup.Escape(experiment.Summary));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
