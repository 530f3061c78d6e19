using System.Collections.Concurrent;
using System.Globalization;
using Atrium.Faults.Tests.Ledger;

namespace Atrium.Faults.Tests.Harness;

/// <summary>Outcomes of the workload per phase of a scenario ("before", "Redis down", ...), for the measurements.</summary>
internal sealed class PhaseCounts
{
    private readonly ConcurrentDictionary<(string Phase, Outcome Outcome), long> _counts = new();
    private readonly ConcurrentQueue<string> _phases = new();
    private volatile string _current = "";

    public string Current => _current;

    public void Enter(string phase)
    {
        _phases.Enqueue(phase);
        _current = phase;
    }

    public void Count(Answer answer) => _counts.AddOrUpdate((_current, answer.Outcome), 1, (_, n) => n + 1);

    public long Of(string phase, Outcome outcome) => _counts.GetValueOrDefault((phase, outcome));

    /// <summary>One measurement per phase: "ok 120, failed 0, unknown 0".</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe() =>
        _phases.Distinct().Select(phase => new KeyValuePair<string, string>(
            $"requests while {phase}",
            string.Create(CultureInfo.InvariantCulture, $"ok {Of(phase, Outcome.Ok)}, failed {Of(phase, Outcome.Failed)}, unknown {Of(phase, Outcome.Unknown)}")));
}
