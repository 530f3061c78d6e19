namespace Atrium.Feed.Domain;

/// <summary>
/// The k-way merge of a home timeline read: each source (the pushed timeline, each followed celebrity's
/// posts, the reader's own posts, the database past the cap) is a list of post ids, newest (highest) first;
/// the result is the <c>take</c> highest distinct ids, newest first. O(n log k) with a heap of the k heads.
/// </summary>
internal static class TimelineMerge
{
    public static List<long> Merge(IReadOnlyList<IReadOnlyList<long>> sources, int take)
    {
        var result = new List<long>(Math.Max(0, take));
        if (take <= 0)
        {
            return result;
        }

        var heads = new PriorityQueue<(int Source, int Index), long>(sources.Count, Comparer<long>.Create((a, b) => b.CompareTo(a)));
        for (var s = 0; s < sources.Count; s++)
        {
            if (sources[s].Count > 0)
            {
                heads.Enqueue((s, 0), sources[s][0]);
            }
        }

        while (result.Count < take && heads.TryDequeue(out var head, out var id))
        {
            if (result.Count == 0 || result[^1] != id)
            {
                result.Add(id);
            }

            var next = head.Index + 1;
            var source = sources[head.Source];
            if (next < source.Count)
            {
                heads.Enqueue((head.Source, next), source[next]);
            }
        }

        return result;
    }
}
