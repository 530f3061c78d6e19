namespace Atrium.Lab.Systems;

/// <summary>
/// A fixed sequence of key indexes drawn from a Zipf distribution (rank r has weight 1/r^s): a few hot links and a
/// long tail, as real link traffic. Seeded, so every strategy of an experiment sees the same sequence.
/// </summary>
internal static class ZipfKeys
{
    public static int[] Sequence(int keys, long length, double exponent = 1.0, int seed = 42)
    {
        var cumulative = new double[keys];
        var sum = 0.0;
        for (var rank = 0; rank < keys; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }

        var random = new Random(seed);
        var sequence = new int[length];
        for (long i = 0; i < length; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            sequence[i] = Math.Min(keys - 1, index < 0 ? ~index : index);
        }

        return sequence;
    }
}
