namespace Atrium.Lab.Reports;

/// <summary>How to draw an experiment's chart: grouped bars (one group per category) or lines over x.</summary>
internal sealed record ChartSpec(string Title, string XLabel, string YLabel, ChartKind Kind, IReadOnlyList<ChartSeries> Series, IReadOnlyList<string>? Categories = null);

/// <summary>One series: for <see cref="ChartKind.Bars"/> one value per category; for <see cref="ChartKind.Lines"/> (x, y) points.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<double> Ys, IReadOnlyList<double>? Xs = null);

internal enum ChartKind
{
    Bars,
    Lines,
}
