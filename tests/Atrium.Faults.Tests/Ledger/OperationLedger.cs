using System.Collections.Concurrent;
using System.Diagnostics;

namespace Atrium.Faults.Tests.Ledger;

/// <summary>
/// The history of a fault-injection run, kept as RabbitMQ's and Jepsen's test suites keep it: every operation is
/// recorded as invoked before it is sent and completed as ok / failed / unknown when the answer (or its absence)
/// comes back. Invariants are then checked against what was acknowledged, not against what was attempted.
/// Thread-safe: workload drivers record concurrently.
/// </summary>
public sealed class OperationLedger(string scenario)
{
    private readonly ConcurrentDictionary<long, Operation> _operations = new();
    private readonly ConcurrentQueue<string> _faults = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _next;

    public string Scenario { get; } = scenario;

    /// <summary>Records an operation before it is sent; complete it with <see cref="Ok"/>, <see cref="Fail"/> or <see cref="Unknown"/>.</summary>
    public long Invoke(string kind, string key)
    {
        var id = Interlocked.Increment(ref _next);
        _operations[id] = new Operation(id, kind, key, Outcome.Invoked, null, null) { InvokedAt = _clock.Elapsed };
        return id;
    }

    public void Ok(long id, string? value = null) => Complete(id, Outcome.Ok, value, null);

    /// <summary>A definite failure: the system answered that it did not do it (a 4xx/503 with ProblemDetails).</summary>
    public void Fail(long id, string error) => Complete(id, Outcome.Failed, null, error);

    /// <summary>No definite answer (timeout, connection reset, 502 from a proxy): it may have happened.</summary>
    public void Unknown(long id, string error) => Complete(id, Outcome.Unknown, null, error);

    /// <summary>Records a fault injected into the system ("kill -9 node 2", "FLUSHALL", ...).</summary>
    public void Fault(string description) => _faults.Enqueue(description);

    /// <summary>Time since the ledger was created: the clock of <see cref="Operation.InvokedAt"/> and <see cref="Operation.CompletedAt"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<Operation> Operations => [.. _operations.Values.OrderBy(o => o.Id)];

    public IReadOnlyList<Operation> Acknowledged(string kind) =>
        [.. Operations.Where(o => o.Kind == kind && o.Outcome == Outcome.Ok)];

    public IReadOnlyList<string> Faults => [.. _faults];

    /// <summary>
    /// The summary of the run once the invariants have been checked: <paramref name="lost"/> acknowledged
    /// operations whose effect is missing, <paramref name="duplicated"/> effects applied more than once.
    /// </summary>
    public LedgerSummary Summarize(long lost, long duplicated, string invariant, IReadOnlyDictionary<string, string>? measurements = null)
    {
        var operations = Operations;
        return new LedgerSummary(
            Scenario,
            invariant,
            operations.Count,
            operations.Count(o => o.Outcome == Outcome.Ok),
            operations.Count(o => o.Outcome == Outcome.Failed),
            operations.Count(o => o.Outcome is Outcome.Unknown or Outcome.Invoked),
            Faults,
            lost,
            duplicated,
            measurements ?? new Dictionary<string, string>());
    }

    private void Complete(long id, Outcome outcome, string? value, string? error) =>
        _operations.AddOrUpdate(
            id,
            _ => throw new InvalidOperationException($"Operation {id} was never invoked."),
            (_, invoked) => invoked with { Outcome = outcome, Value = value, Error = error, CompletedAt = _clock.Elapsed });
}
