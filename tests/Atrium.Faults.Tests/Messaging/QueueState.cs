namespace Atrium.Faults.Tests.Messaging;

/// <summary>A quorum queue as <c>rabbitmqctl list_queues</c> reports it.</summary>
public sealed record QueueState(string Name, long Consumers, long Ready, long Unacknowledged)
{
    public bool IsDrained => Ready == 0 && Unacknowledged == 0;
}
