using Atrium.Faults.Tests.Ledger;

namespace Atrium.Faults.Tests.Harness;

/// <summary>What one recorded HTTP operation got back: its ledger outcome, the status (0: no answer), the body.</summary>
internal sealed record Answer(long OperationId, Outcome Outcome, int Status, string Body, string? Location, TimeSpan Elapsed, string? Error)
{
    public bool IsOk => Outcome == Outcome.Ok;
}
