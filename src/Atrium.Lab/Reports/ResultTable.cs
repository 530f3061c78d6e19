namespace Atrium.Lab.Reports;

/// <summary>A table of results: the header row and the rows, already formatted.</summary>
internal sealed record ResultTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);
