namespace Atrium.Platform.Messaging;

/// <summary>The dead-letter queue as an operator sees it, whatever the transport.</summary>
public interface IDeadLetters
{
    /// <summary>Dead letters with an id greater than <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(long after, int limit, CancellationToken cancellationToken);

    /// <summary>Puts the event back on its consumer's queue with a fresh attempt count; false when there is no such dead letter.</summary>
    Task<bool> ReplayAsync(long id, CancellationToken cancellationToken);
}
