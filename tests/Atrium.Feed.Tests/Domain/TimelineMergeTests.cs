using Atrium.Feed.Domain;
using CsCheck;
using Xunit;

namespace Atrium.Feed.Tests.Domain;

public sealed class TimelineMergeTests
{
    [Fact]
    public void Merges_newest_first_without_duplicates()
    {
        var merged = TimelineMerge.Merge([[90, 70, 50, 10], [80, 70, 20], [], [95]], take: 6);
        Assert.Equal([95, 90, 80, 70, 50, 20], merged);
    }

    [Fact]
    public void Takes_nothing_when_asked_for_nothing_or_given_nothing()
    {
        Assert.Empty(TimelineMerge.Merge([[3, 2, 1]], take: 0));
        Assert.Empty(TimelineMerge.Merge([], take: 5));
    }

    [Fact]
    public void Equals_sorting_the_union_of_any_sources()
    {
        var source = Gen.Long[1, 1000].HashSet[0, 30].Select(s => (IReadOnlyList<long>)[.. s.OrderDescending()]);
        Gen.Select(source.List[0, 8], Gen.Int[0, 100]).Sample((sources, take) =>
        {
            var expected = sources.SelectMany(s => s).Distinct().OrderDescending().Take(take).ToList();
            Assert.Equal(expected, TimelineMerge.Merge(sources, take));
        });
    }
}
