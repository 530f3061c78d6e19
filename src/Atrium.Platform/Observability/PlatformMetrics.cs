using System.Diagnostics.Metrics;

namespace Atrium.Platform.Observability;

/// <summary>The Platform's own instruments (meter <c>Atrium.Platform</c>): messaging flow and outbox lag.</summary>
public sealed class PlatformMetrics
{
    public const string MeterName = "Atrium.Platform";

    public PlatformMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        EventsRelayed = meter.CreateCounter<long>("atrium.outbox.relayed", "{event}", "Events moved from the outbox to the transport.");
        EventsConsumed = meter.CreateCounter<long>("atrium.events.consumed", "{event}", "Event deliveries applied (or skipped as duplicates) by consumers.");
        EventsDeadLettered = meter.CreateCounter<long>("atrium.events.dead_lettered", "{event}", "Deliveries a consumer gave up on.");
        meter.CreateObservableGauge("atrium.outbox.lag", () => OutboxLag.TotalSeconds, "s", "Age of the oldest event still waiting in the outbox.");
    }

    public Counter<long> EventsRelayed { get; }

    public Counter<long> EventsConsumed { get; }

    public Counter<long> EventsDeadLettered { get; }

    public TimeSpan OutboxLag { get; set; }
}
