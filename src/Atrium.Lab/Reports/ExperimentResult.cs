namespace Atrium.Lab.Reports;

/// <summary>
/// What an experiment found: the settings it ran with, a table, a chart and a conclusion computed from the
/// numbers. <see cref="Findings"/> holds the key numbers by name, for tests and for the conclusion.
/// </summary>
internal sealed record ExperimentResult(
    string Experiment,
    string Title,
    string Question,
    IReadOnlyList<(string Name, string Value)> Settings,
    ResultTable Table,
    ChartSpec? Chart,
    string Conclusion,
    IReadOnlyDictionary<string, double> Findings);
