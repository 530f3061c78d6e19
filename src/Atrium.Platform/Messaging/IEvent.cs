namespace Atrium.Platform.Messaging;

/// <summary>An integration event: a fact one module publishes through the outbox for others (or itself) to consume.</summary>
public interface IEvent
{
    /// <summary>The stable wire name of the event, e.g. <c>links.clicks-recorded</c>; never rename it.</summary>
    static abstract string EventType { get; }
}
