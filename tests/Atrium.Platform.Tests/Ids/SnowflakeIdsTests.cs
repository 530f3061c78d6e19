using Atrium.Platform.Ids;
using Atrium.Platform.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atrium.Platform.Tests.Ids;

public sealed class SnowflakeIdsTests : IAsyncLifetime
{
    private const long NodeMask = SnowflakeIds.MaxNode;
    private readonly TempDir _dir = new();
    private PlatformHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await PlatformHost.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static int NodeOf(long id) => (int)((id >> SnowflakeIds.SequenceBits) & NodeMask);

    private static long SequenceOf(long id) => id & ((1L << SnowflakeIds.SequenceBits) - 1);

    [Fact]
    public async Task Ids_from_one_node_never_repeat_and_increase_on_every_thread()
    {
        const int Threads = 8;
        const int PerThread = 50_000;
        var ids = _host.Get<SnowflakeIds>();
        using var start = new Barrier(Threads);
        var perThread = await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                var mine = new long[PerThread];
                start.SignalAndWait(TestContext.Current.CancellationToken);
                for (var i = 0; i < PerThread; i++)
                {
                    mine[i] = ids.Next();
                }

                return mine;
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        foreach (var mine in perThread)
        {
            for (var i = 1; i < mine.Length; i++)
            {
                Assert.True(mine[i] > mine[i - 1], $"id {mine[i]} issued after {mine[i - 1]} on the same thread");
            }
        }

        var all = perThread.SelectMany(x => x).ToArray();
        Assert.Equal(Threads * PerThread, all.Distinct().Count());
        Assert.All(all, id => Assert.True(id > 0));
    }

    [Fact]
    public async Task Node_bits_carry_the_leased_node_id_of_each_host()
    {
        await using var other = await PlatformHost.StartAsync(_dir.Path);
        Assert.NotEqual(_host.Lease.NodeId, other.Lease.NodeId);

        var mine = Enumerable.Range(0, 10_000).Select(_ => _host.Get<SnowflakeIds>().Next()).ToArray();
        var theirs = Enumerable.Range(0, 10_000).Select(_ => other.Get<SnowflakeIds>().Next()).ToArray();

        Assert.All(mine, id => Assert.Equal(_host.Lease.NodeId, NodeOf(id)));
        Assert.All(theirs, id => Assert.Equal(other.Lease.NodeId, NodeOf(id)));
        Assert.Empty(mine.Intersect(theirs));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.0000000Z")]
    [InlineData("2026-03-04T05:06:07.1234567Z")]
    [InlineData("2031-12-31T23:59:59.9999999Z")]
    [InlineData("2090-07-15T12:00:00.0005000Z")]
    public void TimeOf_round_trips_the_creation_time_to_the_millisecond(string instant)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(now);
        var ids = new SnowflakeIds(clock, _host.Lease);

        var id = ids.Next();

        var truncated = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        Assert.Equal(truncated, SnowflakeIds.TimeOf(id));
        Assert.Equal(_host.Lease.NodeId, NodeOf(id));
        Assert.True(SnowflakeIds.MinIdAt(truncated) <= id);
        Assert.True(SnowflakeIds.MinIdAt(truncated.AddMilliseconds(1)) > id);
    }

    [Fact]
    public void A_clock_stepping_back_never_yields_a_smaller_or_duplicate_id()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ids = new SnowflakeIds(clock, _host.Lease);
        var issued = new List<long>();

        for (var i = 0; i < 100; i++)
        {
            issued.Add(ids.Next());
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        clock.AdjustTime(clock.GetUtcNow() - TimeSpan.FromSeconds(5)); // e.g. an NTP step back
        for (var i = 0; i < 1_000; i++)
        {
            issued.Add(ids.Next());
        }

        clock.AdjustTime(clock.GetUtcNow() + TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100; i++)
        {
            issued.Add(ids.Next());
        }

        AssertStrictlyIncreasing(issued);
    }

    [Fact]
    public void More_than_4096_ids_in_one_millisecond_move_on_to_the_next_millisecond()
    {
        // A clock that moves on by one millisecond every 4,100 readings: just enough to exhaust the
        // 12-bit sequence within each millisecond and make the generator wait for the next one.
        var start = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ScriptedClock(reading => start.AddMilliseconds(reading / 4_100));
        var ids = new SnowflakeIds(clock, _host.Lease);

        var issued = Enumerable.Range(0, 20_000).Select(_ => ids.Next()).ToList();

        AssertStrictlyIncreasing(issued);
        Assert.All(issued.GroupBy(SnowflakeIds.TimeOf), perMillisecond => Assert.True(perMillisecond.Count() <= 4096));
        Assert.Contains(issued, id => SequenceOf(id) == 4095);
        Assert.True(SnowflakeIds.TimeOf(issued[^1]) >= start.AddMilliseconds(4));
    }

    [Fact]
    public void Sequence_overflow_while_the_clock_is_behind_still_yields_increasing_ids()
    {
        // After the first reading the clock steps back 4.1 s, then moves on 1 ms per reading: more than
        // 4,096 ids fall into the millisecond the generator holds on to before the clock catches up.
        var start = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ScriptedClock(reading => reading == 0 ? start : start.AddMilliseconds(-4_100 + reading - 1));
        var ids = new SnowflakeIds(clock, _host.Lease);

        var issued = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        AssertStrictlyIncreasing(issued);
        Assert.Equal(4096, issued.Count(id => SnowflakeIds.TimeOf(id) == start));
    }

    private static void AssertStrictlyIncreasing(List<long> ids)
    {
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(ids[i] > ids[i - 1], $"id #{i} ({ids[i]}) is not above id #{i - 1} ({ids[i - 1]})");
        }
    }
}
