using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace Atrium.Platform.Resilience;

/// <summary>
/// The resilience instruments (meter <c>Atrium.Resilience</c>; Prometheus names in docs/resilience.md):
/// <list type="bullet">
/// <item><c>atrium.resilience.circuit.state{dependency, instance}</c>: 0 closed, 1 half-open, 2 open, 3 isolated.</item>
/// <item><c>atrium.resilience.bulkhead.rejected{dependency, module}</c>: calls a module's bulkhead turned away.</item>
/// <item><c>atrium.load_shedding.shed{scope}</c>: requests answered 503 because the node (scope <c>global</c>) or a
/// module (scope = the module) had too many in flight.</item>
/// </list>
/// </summary>
public sealed class ResilienceMetrics
{
    public const string MeterName = "Atrium.Resilience";

    private readonly ConcurrentDictionary<(string Dependency, string Instance), CircuitBreakerStateProvider> _circuits = new();

    public ResilienceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "atrium.resilience.circuit.state", Observe, "{state}", "Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open, 3 isolated.");
        BulkheadRejected = meter.CreateCounter<long>(
            "atrium.resilience.bulkhead.rejected", "{call}", "Dependency calls rejected at once because the module's bulkhead was full.");
        Shed = meter.CreateCounter<long>(
            "atrium.load_shedding.shed", "{request}", "Requests answered 503 because too many were in flight.");
    }

    public Counter<long> BulkheadRejected { get; }

    public Counter<long> Shed { get; }

    /// <summary>Reports the breaker's state on the gauge from now on.</summary>
    public void Track(string dependency, string instance, CircuitBreakerStateProvider state) => _circuits[(dependency, instance)] = state;

    /// <summary>The current state of a tracked breaker (null when none is tracked under that name).</summary>
    public CircuitState? StateOf(string dependency, string instance = "") =>
        _circuits.TryGetValue((dependency, instance), out var state) ? state.CircuitState : null;

    private IEnumerable<Measurement<int>> Observe() =>
        _circuits.Select(c => new Measurement<int>(
            Code(c.Value.CircuitState),
            new KeyValuePair<string, object?>("dependency", c.Key.Dependency),
            new KeyValuePair<string, object?>("instance", c.Key.Instance)));

    private static int Code(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        CircuitState.Open => 2,
        _ => 3,
    };
}
