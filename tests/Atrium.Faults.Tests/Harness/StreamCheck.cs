namespace Atrium.Faults.Tests.Harness;

/// <summary>
/// Checks one reader's view of one conversation against the acknowledged sends: the seqs shown are strictly increasing
/// and exactly 1..<paramref name="lastSeq"/> (no gap, nothing twice), and every acknowledged message is there with the
/// seq and text it was acknowledged with.
/// </summary>
internal static class StreamCheck
{
    public static StreamViolations Check(IReadOnlyList<SeenMessage> seen, long lastSeq, IReadOnlyDictionary<string, long> acknowledged, Func<string, string> textOf)
    {
        long outOfOrder = 0, duplicated = 0, lost = 0, missingSeqs = 0;
        for (var i = 1; i < seen.Count; i++)
        {
            if (seen[i].Seq <= seen[i - 1].Seq)
            {
                outOfOrder++;
            }
        }

        duplicated += seen.Count - seen.Select(m => m.Seq).Distinct().Count();
        duplicated += seen.Count - seen.Select(m => m.ClientMessageId).Distinct().Count();
        var seqs = seen.Select(m => m.Seq).ToHashSet();
        for (var seq = 1L; seq <= lastSeq; seq++)
        {
            if (!seqs.Contains(seq))
            {
                missingSeqs++;
            }
        }

        var byClientId = seen.GroupBy(m => m.ClientMessageId).ToDictionary(g => g.Key, g => g.First());
        foreach (var (clientMessageId, seq) in acknowledged)
        {
            if (!byClientId.TryGetValue(clientMessageId, out var shown) || shown.Seq != seq || shown.Text != textOf(clientMessageId))
            {
                lost++;
            }
        }

        return new StreamViolations(outOfOrder, missingSeqs, duplicated, lost);
    }
}

/// <summary>What <see cref="StreamCheck"/> found wrong (all must be 0).</summary>
internal sealed record StreamViolations(long OutOfOrder, long MissingSeqs, long Duplicated, long Lost)
{
    public static StreamViolations None { get; } = new(0, 0, 0, 0);

    public StreamViolations Add(StreamViolations other) =>
        new(OutOfOrder + other.OutOfOrder, MissingSeqs + other.MissingSeqs, Duplicated + other.Duplicated, Lost + other.Lost);
}
