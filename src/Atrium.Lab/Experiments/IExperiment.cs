using Atrium.Lab.Reports;

namespace Atrium.Lab.Experiments;

/// <summary>One trade-off of large-scale design, measured (DESIGN.md §5).</summary>
internal interface IExperiment
{
    /// <summary>The command-line name: <c>run &lt;name&gt;</c> and <c>reports/&lt;name&gt;.md</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c>: what it compares.</summary>
    string Summary { get; }

    Task<ExperimentResult> RunAsync(ExperimentContext context, CancellationToken cancellationToken);
}
