using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Atrium.Server.Tests.Support;

/// <summary>
/// Reads one app's own instruments (those its <see cref="IMeterFactory"/> made), not the process-wide Prometheus
/// scrape: test apps share a process, and an exporter there sees every app's meters of the same name.
/// </summary>
internal sealed class AppMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tags), double> _sums = new();
    private readonly Lock _gate = new();
    private Dictionary<string, double>? _observed;

    public AppMeters(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>The total a counter has counted with a tag of this value since the listener started.</summary>
    public double Sum(string instrument, string tag, string value) =>
        _sums.TryGetValue((instrument, $"{tag}={value}"), out var sum) ? sum : 0;

    /// <summary>The current value of an observable gauge (summed over its measurements).</summary>
    public double Observe(string instrument)
    {
        lock (_gate)
        {
            _observed = [];
            _listener.RecordObservableInstruments();
            var value = _observed.GetValueOrDefault(instrument);
            _observed = null;
            return value;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.IsObservable)
        {
            if (_observed is { } observed)
            {
                observed[instrument.Name] = observed.GetValueOrDefault(instrument.Name) + value;
            }

            return;
        }

        foreach (var tag in tags)
        {
            _sums.AddOrUpdate((instrument.Name, $"{tag.Key}={tag.Value}"), value, (_, sum) => sum + value);
        }
    }
}
