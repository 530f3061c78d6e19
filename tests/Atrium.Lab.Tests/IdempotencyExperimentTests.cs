using Atrium.Lab.Experiments;
using Atrium.Lab.Tests.Support;
using Xunit;

namespace Atrium.Lab.Tests;

public sealed class IdempotencyExperimentTests
{
    [Fact]
    public async Task Without_the_inbox_every_duplicate_applies_twice_and_with_it_none_does()
    {
        var result = await new IdempotencyExperiment().RunAsync(QuietProgress.QuickContext(), TestContext.Current.CancellationToken);

        var deliveries = long.Parse(result.Table.Rows[0][1].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(deliveries - 500, result.Findings["none.doubleEffects"]); // every duplicate delivery credited again
        Assert.True(result.Findings["none.doubleEffects"] > 0);
        Assert.Equal(0, result.Findings["inbox.doubleEffects"]);
    }
}
