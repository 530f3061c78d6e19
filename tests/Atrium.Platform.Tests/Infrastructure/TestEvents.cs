using System.Collections.Concurrent;
using Atrium.Platform.Messaging;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.Tests.Infrastructure;

/// <summary>Consumed by <see cref="RecordingConsumer"/> and <see cref="SecondConsumer"/>.</summary>
public sealed record Recorded(string Marker) : IEvent
{
    public static string EventType => "test.recorded";
}

/// <summary>Its consumer throws <paramref name="Failures"/> times, then applies it.</summary>
public sealed record Flaky(string Marker, int Failures) : IEvent
{
    public static string EventType => "test.flaky";
}

/// <summary>Its consumer throws until the marker is switched to fixed (<see cref="TestConsumers.Fix"/>).</summary>
public sealed record Broken(string Marker) : IEvent
{
    public static string EventType => "test.broken";
}

/// <summary>An event nobody consumes.</summary>
public sealed record Unheard(string Marker) : IEvent
{
    public static string EventType => "test.unheard";
}

/// <summary>
/// The test consumers, registered on every <see cref="PlatformHost"/>. Each applied event writes one row
/// into <c>tests_effects</c> through the consumer's transaction; attempts are counted in memory per
/// marker (markers are unique per test, so parallel tests never share state).
/// </summary>
internal static class TestConsumers
{
    public const string Recorder = "test.recorder";
    public const string Second = "test.second";
    public const string FlakyConsumer = "test.flaky";
    public const string BrokenConsumer = "test.broken";

    private static readonly ConcurrentDictionary<string, int> AttemptCounts = new();
    private static readonly ConcurrentDictionary<string, bool> Fixed = new();

    public static IServiceCollection AddTestConsumers(this IServiceCollection services) => services
        .AddEventConsumer<Recorded, RecordingConsumer>(Recorder)
        .AddEventConsumer<Recorded, SecondConsumer>(Second)
        .AddEventConsumer<Flaky, FlakyConsumer>(FlakyConsumer)
        .AddEventConsumer<Broken, BrokenConsumer>(BrokenConsumer);

    /// <summary>How many times any test consumer was invoked for <paramref name="marker"/> (failed attempts included).</summary>
    public static int Attempts(string marker) => AttemptCounts.GetValueOrDefault(marker);

    /// <summary>"Deploys the fix": the broken consumer stops throwing for this marker.</summary>
    public static void Fix(string marker) => Fixed[marker] = true;

    public static string NewMarker() => Guid.NewGuid().ToString("N");

    public static int CountAttempt(string marker) => AttemptCounts.AddOrUpdate(marker, 1, static (_, n) => n + 1);

    public static bool IsFixed(string marker) => Fixed.ContainsKey(marker);

    public static Task RecordAsync(string consumer, string marker, EventContext context, CancellationToken cancellationToken) =>
        context.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tests_effects (consumer, event_id, marker) VALUES (@consumer, @eventId, @marker)",
            new { consumer, eventId = context.EventId, marker }, context.Transaction, cancellationToken: cancellationToken));
}

internal sealed class RecordingConsumer : IEventConsumer<Recorded>
{
    public Task HandleAsync(Recorded message, EventContext context, CancellationToken cancellationToken)
    {
        TestConsumers.CountAttempt(message.Marker);
        return TestConsumers.RecordAsync(TestConsumers.Recorder, message.Marker, context, cancellationToken);
    }
}

internal sealed class SecondConsumer : IEventConsumer<Recorded>
{
    public Task HandleAsync(Recorded message, EventContext context, CancellationToken cancellationToken) =>
        TestConsumers.RecordAsync(TestConsumers.Second, message.Marker, context, cancellationToken);
}

internal sealed class FlakyConsumer : IEventConsumer<Flaky>
{
    public async Task HandleAsync(Flaky message, EventContext context, CancellationToken cancellationToken)
    {
        // The effect is written first, so a throw after it proves the rollback too.
        await TestConsumers.RecordAsync(TestConsumers.FlakyConsumer, message.Marker, context, cancellationToken);
        var attempt = TestConsumers.CountAttempt(message.Marker);
        if (attempt <= message.Failures)
        {
            throw new InvalidOperationException($"Flaky failure {attempt} of {message.Failures}.");
        }
    }
}

internal sealed class BrokenConsumer : IEventConsumer<Broken>
{
    public async Task HandleAsync(Broken message, EventContext context, CancellationToken cancellationToken)
    {
        await TestConsumers.RecordAsync(TestConsumers.BrokenConsumer, message.Marker, context, cancellationToken);
        var attempt = TestConsumers.CountAttempt(message.Marker);
        if (!TestConsumers.IsFixed(message.Marker))
        {
            throw new InvalidOperationException($"Broken consumer, attempt {attempt}, marker {message.Marker}.");
        }
    }
}
