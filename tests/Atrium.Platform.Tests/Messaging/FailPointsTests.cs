using System.Diagnostics.Metrics;
using Atrium.Platform.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Atrium.Platform.Tests.Messaging;

/// <summary>
/// The parsing of <c>Atrium:FailPoints</c> and the throwing points; the killing ones are exercised by
/// tests/Atrium.Faults.Tests (a kill here would take the test run with it).
/// </summary>
public sealed class FailPointsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(" , ,")]
    public void Nothing_set_arms_nothing(string? value) => Assert.Empty(FailPoints.Parse(value));

    [Fact]
    public void Names_are_comma_separated_with_an_optional_pass()
    {
        var points = FailPoints.Parse(" outbox.after-confirm@3 ,consumer.after-commit, consumer.throw:links.click-aggregator@1");

        Assert.Equal(
            [
                new FailPoint("outbox.after-confirm", FailPointAction.Kill, 3),
                new FailPoint("consumer.after-commit", FailPointAction.Kill, null),
                new FailPoint("consumer.throw:links.click-aggregator", FailPointAction.Throw, 1),
            ],
            points);
    }

    [Theory]
    [InlineData("outbox.after-confrim", "unknown fail point 'outbox.after-confrim'")]
    [InlineData("consumer.throw:", "unknown fail point 'consumer.throw:'")]
    [InlineData("outbox.after-confirm@0", "must end in @N")]
    [InlineData("outbox.after-confirm@-1", "must end in @N")]
    [InlineData("outbox.after-confirm@x", "must end in @N")]
    [InlineData("outbox.after-confirm@", "must end in @N")]
    [InlineData("consumer.after-commit,consumer.after-commit@2", "listed twice")]
    public void A_bad_entry_is_refused_with_its_reason(string value, string reason)
    {
        var error = Assert.Throws<FormatException>(() => FailPoints.Parse(value));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(FailPoints.Setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_setting_fails_the_start_rather_than_test_nothing() =>
        Assert.Throws<FormatException>(() => Create("consumer.afte-commit"));

    [Fact]
    public void Unarmed_points_do_nothing()
    {
        var failPoints = Create(null);

        Assert.False(failPoints.Any);
        failPoints.Hit(FailPoints.OutboxAfterConfirm);
        failPoints.Hit(FailPoints.ConsumerAfterCommit);
        failPoints.HitConsumer("links.click-aggregator");
    }

    [Fact]
    public void A_throwing_point_fails_its_consumer_on_every_pass_and_no_other()
    {
        var failPoints = Create("consumer.throw:feed.fan-out-writer");
        using var fired = Listen();

        for (var i = 0; i < 3; i++)
        {
            var error = Assert.Throws<InvalidOperationException>(() => failPoints.HitConsumer("feed.fan-out-writer"));
            Assert.Contains("consumer.throw:feed.fan-out-writer", error.Message, StringComparison.Ordinal);
        }

        failPoints.HitConsumer("links.click-aggregator");
        Assert.Equal(3, fired.Count);
    }

    [Fact]
    public void With_a_pass_number_it_fires_on_that_pass_only()
    {
        var failPoints = Create("consumer.throw:feed.fan-out-writer@3");
        using var fired = Listen();

        failPoints.HitConsumer("feed.fan-out-writer");
        failPoints.HitConsumer("feed.fan-out-writer");
        Assert.Throws<InvalidOperationException>(() => failPoints.HitConsumer("feed.fan-out-writer"));
        failPoints.HitConsumer("feed.fan-out-writer");

        Assert.Equal(1, fired.Count);
    }

    private FailPoints Create(string? value) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FailPoints.Setting] = value }).Build(),
        _services.GetRequiredService<IMeterFactory>(),
        NullLogger<FailPoints>.Instance);

    private FiredCounter Listen() => new(_services.GetRequiredService<IMeterFactory>());

    /// <summary>Counts <c>atrium.failpoints.fired</c> measurements of this test's meter factory.</summary>
    private sealed class FiredCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public FiredCounter(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "atrium.failpoints.fired" && instrument.Meter.Scope == meters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, (int)value));
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
