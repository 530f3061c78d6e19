namespace Atrium.Links.Guessing;

/// <summary>The embedded shape: one node, nobody else to tell.</summary>
internal sealed class LocalGuessBlockAnnouncer : IGuessBlockAnnouncer
{
    public ValueTask AnnounceAsync(string client, long untilMs, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
