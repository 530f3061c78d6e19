using Atrium.Links.Guessing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Links.Tests.Guessing;

public sealed class GuessBlocksTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));

    [Fact]
    public void Nobody_is_blocked_at_first()
    {
        var blocks = new GuessBlocks(_clock);

        Assert.True(blocks.IsEmpty);
        Assert.False(blocks.TryGetBlock("ip:192.0.2.1", out var remaining));
        Assert.Equal(TimeSpan.Zero, remaining);
    }

    [Fact]
    public void A_block_lasts_its_duration_and_is_dropped_after()
    {
        var blocks = new GuessBlocks(_clock);
        blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(1));

        Assert.False(blocks.IsEmpty);
        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out var remaining));
        Assert.Equal(TimeSpan.FromMinutes(1), remaining);
        Assert.False(blocks.TryGetBlock("ip:192.0.2.2", out _));

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out remaining));
        Assert.Equal(TimeSpan.FromSeconds(1), remaining);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(blocks.TryGetBlock("ip:192.0.2.1", out _));
        Assert.True(blocks.IsEmpty);
    }

    [Fact]
    public void A_shorter_block_does_not_cut_a_longer_one()
    {
        var blocks = new GuessBlocks(_clock);
        blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(10));
        blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(1));

        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out var remaining));
        Assert.Equal(TimeSpan.FromMinutes(10), remaining);

        blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(20));
        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out remaining));
        Assert.Equal(TimeSpan.FromMinutes(20), remaining);
    }

    [Fact]
    public void Ended_blocks_of_clients_that_never_return_are_swept_out()
    {
        var blocks = new GuessBlocks(_clock);
        for (var i = 0; i < 2000; i++)
        {
            blocks.Block($"ip:10.0.{i / 256}.{i % 256}", TimeSpan.FromSeconds(5));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(1)); // the sweep runs on a block, past 1,024 entries

        Assert.False(blocks.IsEmpty);
        Assert.False(blocks.TryGetBlock("ip:10.0.0.1", out _));
        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out _));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(blocks.TryGetBlock("ip:192.0.2.1", out _));
        Assert.True(blocks.IsEmpty); // the count went down with every swept entry
    }

    [Fact]
    public void A_block_heard_again_or_late_does_not_move_its_end()
    {
        var blocks = new GuessBlocks(_clock);
        var until = blocks.Block("ip:192.0.2.1", TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromSeconds(30));

        blocks.BlockUntil("ip:192.0.2.1", until); // its own announcement, heard back
        blocks.BlockUntil("ip:192.0.2.2", _clock.GetUtcNow().ToUnixTimeMilliseconds() - 1); // one that is already over

        Assert.True(blocks.TryGetBlock("ip:192.0.2.1", out var remaining));
        Assert.Equal(TimeSpan.FromSeconds(30), remaining);
        Assert.False(blocks.TryGetBlock("ip:192.0.2.2", out _));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(blocks.TryGetBlock("ip:192.0.2.1", out _));
        Assert.True(blocks.IsEmpty);
    }
}
