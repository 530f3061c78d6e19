using Atrium.Lab.Estimates;
using Xunit;

namespace Atrium.Lab.Tests;

public sealed class EstimateTests
{
    [Fact]
    public void The_handbook_preset_gives_about_ten_thousand_queries_per_second()
    {
        var estimate = CapacityEstimate.From(EstimateInputs.Presets["handbook"]);

        Assert.InRange(estimate.AverageQps, 11_000, 12_000); // 100M × 10 / 86,400 ≈ 11.6k
        Assert.Equal(estimate.AverageQps * 3, estimate.PeakQps, 6);
        Assert.Equal(estimate.AverageQps, estimate.ReadQps + estimate.WriteQps, 6);
        Assert.Equal(8, estimate.Servers); // ceil(34.7k / 5k) + 1
    }

    [Theory]
    [InlineData(999, "999")]
    [InlineData(11_574, "11.6 k")]
    [InlineData(99.5e12, "99.5 T")]
    public void Counts_read_like_an_engineer_says_them(double value, string expected) => Assert.Equal(expected, Units.Count(value));
}
