namespace Atrium.Links.Guessing;

/// <summary>Tells the other nodes that a client is blocked from following links (nothing to tell on one node).</summary>
internal interface IGuessBlockAnnouncer
{
    /// <summary>Tells the others that <paramref name="client"/> is blocked until <paramref name="untilMs"/> (unix ms).</summary>
    ValueTask AnnounceAsync(string client, long untilMs, CancellationToken cancellationToken);
}
