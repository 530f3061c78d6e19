namespace Atrium.Faults.Tests.Ledger;

/// <summary>
/// The short form (CI: every scenario in seconds) or the full form (<c>ATRIUM_FAULTS_FULL=1</c>, set by
/// scripts/faults.sh: longer workloads, more faults) of the fault-injection suite.
/// </summary>
public static class RunLength
{
    public static bool IsFull { get; } = Environment.GetEnvironmentVariable("ATRIUM_FAULTS_FULL") == "1";

    public static TimeSpan Pick(TimeSpan shortForm, TimeSpan fullForm) => IsFull ? fullForm : shortForm;

    public static int Pick(int shortForm, int fullForm) => IsFull ? fullForm : shortForm;
}
