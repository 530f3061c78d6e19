using Atrium.Faults.Tests.Ledger;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Writes a messaging scenario's ledger summary (for docs/reliability.md) and asserts its invariant.</summary>
public static class ScenarioResult
{
    public static async Task<LedgerSummary> ReportAsync(
        OperationLedger ledger, ClickTally tally, string invariant, IDictionary<string, string> measurements, CancellationToken cancellationToken)
    {
        measurements["clicks acknowledged"] = tally.Acknowledged.ToString(System.Globalization.CultureInfo.InvariantCulture);
        measurements["clicks applied"] = tally.Applied.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var summary = ledger.Summarize(tally.Lost, tally.Duplicated, invariant, new Dictionary<string, string>(measurements));
        await summary.WriteAsync(cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"{ledger.Scenario}: {tally}; faults: {string.Join("; ", ledger.Faults)}; "
            + string.Join(", ", measurements.Select(m => $"{m.Key} = {m.Value}")));
        Assert.True(tally.Lost == 0 && tally.Duplicated == 0, $"{ledger.Scenario} broke its invariant ({invariant}): {tally}");
        return summary;
    }
}
