using ScottPlot;

namespace Atrium.Lab.Reports;

/// <summary>Draws a <see cref="ChartSpec"/> as an SVG file with ScottPlot.</summary>
internal static class ChartRenderer
{
    private static readonly Color[] Palette =
    [
        Color.FromHex("#4f46e5"), Color.FromHex("#0891b2"), Color.FromHex("#d97706"), Color.FromHex("#dc2626"), Color.FromHex("#16a34a"), Color.FromHex("#7c3aed"),
    ];

    public static void SaveSvg(ChartSpec chart, string path, int width = 800, int height = 450)
    {
        var plot = new Plot();
        plot.Title(chart.Title);
        plot.XLabel(chart.XLabel);
        plot.YLabel(chart.YLabel);
        if (chart.Kind == ChartKind.Bars)
        {
            DrawBars(plot, chart);
        }
        else
        {
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var series = chart.Series[s];
                var xs = series.Xs ?? Enumerable.Range(0, series.Ys.Count).Select(i => (double)i).ToArray();
                var line = plot.Add.Scatter(xs.ToArray(), series.Ys.ToArray(), Palette[s % Palette.Length]);
                line.LegendText = series.Name;
            }

            plot.ShowLegend(Edge.Bottom);
        }

        plot.SaveSvg(path, width, height);
    }

    private static void DrawBars(Plot plot, ChartSpec chart)
    {
        var categories = chart.Categories ?? [];
        var groups = chart.Series.Count;
        var width = 0.8 / groups;
        for (var s = 0; s < groups; s++)
        {
            var series = chart.Series[s];
            var bars = series.Ys.Select((y, i) => new Bar
            {
                Position = i + ((s - ((groups - 1) / 2.0)) * width),
                Value = y,
                Size = width * 0.95,
                FillColor = Palette[s % Palette.Length],
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series.Name, FillColor = Palette[s % Palette.Length] });
        }

        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Margins(bottom: 0);
        if (groups > 1)
        {
            plot.ShowLegend(Alignment.UpperLeft);
        }
    }
}
