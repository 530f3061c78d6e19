namespace Atrium.Platform.Messaging;

/// <summary>
/// One consumer of one event type. <paramref name="Name"/> is its queue and inbox name
/// (e.g. <c>links.click-aggregator</c>); it must stay stable across releases.
/// </summary>
public sealed record ConsumerRegistration(
    string Name,
    string EventType,
    Func<IServiceProvider, EventEnvelope, EventContext, CancellationToken, Task> Invoke);
