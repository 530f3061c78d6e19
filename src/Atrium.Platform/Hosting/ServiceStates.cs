using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Atrium.Platform.Hosting;

/// <summary>
/// Every supervised service's current state (<see cref="ServiceSupervisor"/> writes it), read by
/// <see cref="ServicesHealthCheck"/> and exported as the gauge <c>atrium.hosting.service.failing</c> (1 while a service
/// fails, per service) and the counter <c>atrium.hosting.service.failures</c>.
/// </summary>
public sealed class ServiceStates
{
    public const string MeterName = "Atrium.Platform.Hosting";
    private readonly ConcurrentDictionary<string, ServiceState> _states = new(StringComparer.Ordinal);
    private readonly Counter<long> _failures;

    public ServiceStates(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _failures = meter.CreateCounter<long>(
            "atrium.hosting.service.failures", "{failure}", "Failures of supervised background services (each is retried after a backoff).");
        meter.CreateObservableGauge(
            "atrium.hosting.service.failing",
            () => _states.Values.Select(s => new Measurement<int>(s.IsFailing ? 1 : 0, new KeyValuePair<string, object?>("service", s.Service))),
            "{service}",
            "1 while a supervised background service is failing and retrying, else 0.");
    }

    public IReadOnlyCollection<ServiceState> All => [.. _states.Values.OrderBy(s => s.Service, StringComparer.Ordinal)];

    public ServiceState? Of(string service) => _states.GetValueOrDefault(service);

    internal void Running(string service) => _states[service] = new ServiceState(service, 0, null, null);

    internal ServiceState Failed(string service, Exception error, DateTimeOffset now)
    {
        _failures.Add(1, new KeyValuePair<string, object?>("service", service));
        return _states.AddOrUpdate(
            service,
            _ => new ServiceState(service, 1, now, error.Message),
            (_, current) => new ServiceState(service, current.Failures + 1, current.FailingSince ?? now, error.Message));
    }
}
