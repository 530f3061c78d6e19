using Atrium.Platform.Data;

namespace Atrium.Feed.Tests;

/// <summary>
/// The real celebrity read, which can be made to stall (a database that does not answer): while
/// <see cref="Stalled"/>, a read waits until it is cancelled — by the read's budget — and never returns on its own, so
/// what the timeline does with an overrun merge does not depend on how fast the machine is.
/// </summary>
internal sealed class StalledCelebrityPosts(IDatabase database) : ICelebrityPosts
{
    private readonly CelebrityPosts _real = new(database);
    private int _stalled;
    private int _stalls;

    public bool Stalled
    {
        get => Volatile.Read(ref _stalled) == 1;
        set => Volatile.Write(ref _stalled, value ? 1 : 0);
    }

    /// <summary>How many reads stalled until cancelled.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    public async Task<IReadOnlyList<IReadOnlyList<long>>> NewestAsync(
        IReadOnlyList<long> celebrities, long before, long since, int take, CancellationToken cancellationToken)
    {
        if (Stalled)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken); // a budget that does not work lets the real read through after a minute: the test then fails, not hangs
            }
            finally
            {
                Interlocked.Increment(ref _stalls);
            }
        }

        return await _real.NewestAsync(celebrities, before, since, take, cancellationToken);
    }
}
