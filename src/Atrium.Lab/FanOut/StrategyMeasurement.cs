using Atrium.Feed;
using Atrium.Lab.Load;

namespace Atrium.Lab.FanOut;

/// <summary>What one fan-out strategy did on the <see cref="FollowGraph"/>: per post, and under the feed-read load.</summary>
internal sealed record StrategyMeasurement(FanOutMode Mode, IReadOnlyList<PostMeasurement> Posts, LoadResult Reads)
{
    public IEnumerable<PostMeasurement> Of(bool celebrity) => Posts.Where(p => p.Celebrity == celebrity);

    /// <summary>The nearest-rank percentile of <paramref name="values"/> (0 when there are none).</summary>
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
