namespace Atrium.Feed;

/// <summary>
/// The celebrity merge's budget for one home-timeline read (<see cref="FeedOptions.CelebrityMergeBudget"/>, on the
/// injected clock): <see cref="Token"/> is cancelled when the read is, or when the budget runs out; once the merge
/// overran or failed (<see cref="Omit"/>), the rest of the read leaves the celebrities out.
/// </summary>
internal sealed class CelebrityMerge : IDisposable
{
    private readonly CancellationTokenSource _budget;
    private readonly CancellationTokenSource _linked;

    public CelebrityMerge(TimeSpan budget, TimeProvider time, CancellationToken request)
    {
        _budget = new CancellationTokenSource(budget, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(request, _budget.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>The celebrities' posts are left out of this read.</summary>
    public bool Omitted { get; private set; }

    public void Omit() => Omitted = true;

    public void Dispose()
    {
        _linked.Dispose();
        _budget.Dispose();
    }
}
