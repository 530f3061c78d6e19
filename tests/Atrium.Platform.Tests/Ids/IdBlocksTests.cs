using Atrium.Platform.Ids;
using Atrium.Platform.Tests.Infrastructure;
using Xunit;

namespace Atrium.Platform.Tests.Ids;

public sealed class IdBlocksTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PlatformHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await PlatformHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task One_node_hands_out_consecutive_numbers_across_block_boundaries()
    {
        var blocks = new IdBlocks(_host.Database);
        var numbers = new List<long>();
        for (var i = 0; i < (2 * IdBlocks.BlockSize) + 500; i++)
        {
            numbers.Add(await blocks.NextAsync("test.sequential", Ct));
        }

        Assert.Equal(Enumerable.Range(0, numbers.Count).Select(i => (long)i), numbers);
        Assert.Equal(3L * IdBlocks.BlockSize, await _host.ScalarAsync<long>(
            "SELECT next_value FROM platform_id_blocks WHERE name = 'test.sequential'"));
    }

    [Fact]
    public async Task Concurrent_callers_on_two_nodes_never_get_the_same_number()
    {
        const int CallersPerNode = 8;
        const int CallsPerCaller = 1_500;
        var nodes = new[] { new IdBlocks(_host.Database), new IdBlocks(_host.Database) };

        var results = await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, CallersPerNode).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>(CallsPerCaller);
            for (var i = 0; i < CallsPerCaller; i++)
            {
                mine.Add(await node.NextAsync("test.concurrent", Ct));
            }

            return mine;
        }))));

        var all = results.SelectMany(x => x).ToList();
        Assert.Equal(2 * CallersPerNode * CallsPerCaller, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, n => Assert.True(n >= 0));
        Assert.All(results, mine => Assert.Equal(mine.Order(), mine)); // each caller's numbers increase

        // 24,000 numbers span at least 24 blocks; nothing was handed out beyond what was leased.
        var leasedUpTo = await _host.ScalarAsync<long>("SELECT next_value FROM platform_id_blocks WHERE name = 'test.concurrent'");
        Assert.True(leasedUpTo >= all.Count);
        Assert.True(all.Max() < leasedUpTo);
    }

    [Fact]
    public async Task A_node_that_stops_skips_the_rest_of_its_block_and_never_reissues_it()
    {
        var first = new IdBlocks(_host.Database);
        var second = new IdBlocks(_host.Database);

        Assert.Equal(0, await first.NextAsync("test.skip", Ct));
        Assert.Equal(IdBlocks.BlockSize, await second.NextAsync("test.skip", Ct));
        Assert.Equal(1, await first.NextAsync("test.skip", Ct));

        var restarted = new IdBlocks(_host.Database); // the first node "restarted": its block is gone
        Assert.Equal(2 * IdBlocks.BlockSize, await restarted.NextAsync("test.skip", Ct));
    }

    [Fact]
    public async Task Sequences_with_different_names_are_independent()
    {
        var blocks = _host.Get<IdBlocks>();
        Assert.Equal(0, await blocks.NextAsync("test.a", Ct));
        Assert.Equal(1, await blocks.NextAsync("test.a", Ct));
        Assert.Equal(0, await blocks.NextAsync("test.b", Ct));
        Assert.Equal(2, await blocks.NextAsync("test.a", Ct));
    }
}
