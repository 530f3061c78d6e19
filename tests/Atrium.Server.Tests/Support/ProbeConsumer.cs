using System.Collections.Concurrent;
using Atrium.Platform.Messaging;

namespace Atrium.Server.Tests.Support;

/// <summary>A test event that the <see cref="ProbeConsumer"/> refuses while its marker is listed as failing.</summary>
internal sealed record ProbeEvent(string Marker) : IEvent
{
    public static string EventType => "tests.probe";
}

/// <summary>Which probe markers the consumer refuses, and which it has handled.</summary>
internal sealed class ProbeBehaviour
{
    public ConcurrentDictionary<string, bool> Failing { get; } = new();

    public ConcurrentDictionary<string, int> Handled { get; } = new();
}

internal sealed class ProbeConsumer(ProbeBehaviour behaviour) : IEventConsumer<ProbeEvent>
{
    public const string Name = "tests.probe-consumer";

    public Task HandleAsync(ProbeEvent message, EventContext context, CancellationToken cancellationToken)
    {
        if (behaviour.Failing.ContainsKey(message.Marker))
        {
            throw new InvalidOperationException($"Probe {message.Marker} refused on purpose.");
        }

        behaviour.Handled.AddOrUpdate(message.Marker, 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
