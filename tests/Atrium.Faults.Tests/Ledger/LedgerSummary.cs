using System.Text.Json;

namespace Atrium.Faults.Tests.Ledger;

/// <summary>
/// One scenario's result, as it goes into docs/reliability.md: operations (ok / failed / unknown), the faults
/// injected, and what the invariant check found lost or duplicated (both must be 0).
/// </summary>
public sealed record LedgerSummary(
    string Scenario,
    string Invariant,
    int Operations,
    int Ok,
    int Failed,
    int Unknown,
    IReadOnlyList<string> Faults,
    long Lost,
    long Duplicated,
    IReadOnlyDictionary<string, string> Measurements)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Writes the summary as <c>&lt;scenario&gt;.json</c> into <c>ATRIUM_FAULTS_OUT</c> (scripts/faults.sh sets it and
    /// renders docs/reliability.md from the files), or into the test output's <c>faults/</c> folder.
    /// </summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        var directory = Environment.GetEnvironmentVariable("ATRIUM_FAULTS_OUT") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "faults");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, Scenario + ".json"), JsonSerializer.Serialize(this, Json), cancellationToken);
    }
}
