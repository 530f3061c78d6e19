namespace Atrium.Faults.Tests.Ledger;

/// <summary>
/// What the client knows of an operation (Jepsen's history): invoked and not yet answered, answered with success
/// (the system promised it), answered with a definite failure (the system promised it did not happen), or unknown
/// (a timeout or a dropped connection: it may or may not have happened, and both are allowed afterwards).
/// </summary>
public enum Outcome
{
    Invoked,
    Ok,
    Failed,
    Unknown,
}
