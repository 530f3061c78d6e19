using Atrium.Platform.Messaging;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

public sealed class RetryBackoffTests
{
    public static TheoryData<int, int> Settings => new()
    {
        { 10, 100 },       // the tests' fast settings
        { 500, 300_000 },  // the defaults
        { 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_delay_lies_within_zero_and_the_capped_exponential_ceiling(int baseMs, int maxMs)
    {
        var random = new Random(12345);
        var baseDelay = TimeSpan.FromMilliseconds(baseMs);
        var maxDelay = TimeSpan.FromMilliseconds(maxMs);
        foreach (var attempt in Enumerable.Range(1, 40).Append(int.MaxValue))
        {
            var ceiling = Math.Min(maxMs, baseMs * Math.Pow(2, Math.Min(attempt - 1, 60)));
            for (var i = 0; i < 1_000; i++)
            {
                var delay = RetryBackoff.Delay(attempt, baseDelay, maxDelay, random);
                Assert.InRange(delay.TotalMilliseconds, 0, ceiling);
            }
        }
    }

    [Fact]
    public void Delays_are_jittered_across_the_whole_range()
    {
        var random = new Random(2026);
        foreach (var attempt in new[] { 1, 2, 5, 8, 20 })
        {
            var ceiling = Math.Min(300_000, 500 * Math.Pow(2, attempt - 1));
            var delays = Enumerable.Range(0, 1_000)
                .Select(_ => RetryBackoff.Delay(attempt, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5), random).TotalMilliseconds)
                .ToList();

            Assert.True(delays.Distinct().Count() > 900, $"attempt {attempt}: delays are not jittered");
            Assert.Contains(delays, d => d < ceiling / 4);
            Assert.Contains(delays, d => d > ceiling * 3 / 4);
        }
    }

    [Fact]
    public void The_ceiling_doubles_with_each_attempt_until_the_maximum()
    {
        // The largest of many samples approaches each attempt's ceiling: 10, 20, 40, 80, then 100 (capped).
        var random = new Random(7);
        var expected = new[] { 10.0, 20, 40, 80, 100, 100 };
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            var largest = Enumerable.Range(0, 5_000)
                .Max(_ => RetryBackoff.Delay(attempt, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), random).TotalMilliseconds);
            Assert.InRange(largest, expected[attempt - 1] * 0.98, expected[attempt - 1]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Attempts_count_from_one(int attempt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetryBackoff.Delay(attempt, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), Random.Shared));
    }
}
