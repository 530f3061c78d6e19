namespace Atrium.Feed;

/// <summary>The newest post ids of followed celebrities, merged into a home timeline at read (hybrid fan-out).</summary>
internal interface ICelebrityPosts
{
    /// <summary>For each celebrity (in order), up to <paramref name="take"/> post ids between the cursors, newest first.</summary>
    Task<IReadOnlyList<IReadOnlyList<long>>> NewestAsync(
        IReadOnlyList<long> celebrities, long before, long since, int take, CancellationToken cancellationToken);
}
