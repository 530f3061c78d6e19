using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Messaging;

/// <summary>
/// Fail points: a testing aid in the spirit of TiKV's fail points and FoundationDB's buggify. Named places in the
/// messaging pipeline where a fault-injection test (tests/Atrium.Faults.Tests) makes the process crash at the worst
/// moment, or a handler fail, to check that nothing acknowledged is lost and nothing is applied twice.
/// Off unless <c>Atrium:FailPoints</c> names some, comma-separated; never set it in production.
/// <list type="bullet">
/// <item><c>outbox.after-confirm</c> (kill): the relay's batch was confirmed by the transport, its outbox rows are not
/// deleted yet; the next start sends them again.</item>
/// <item><c>consumer.after-commit</c> (kill, RabbitMQ shape): a delivery's effects and inbox row are committed, the
/// message is not acknowledged yet; the broker redelivers it.</item>
/// <item><c>consumer.throw:&lt;consumer&gt;</c> (throw): that consumer's handler fails on every fresh delivery, in
/// its transaction (so nothing of it commits).</item>
/// <item><c>clicks.after-commit</c> (throw): the click flusher's batch is committed, and the flusher hears an error, as when
/// the connection breaks before the commit's answer arrives; it retries the batch (with the same event id).</item>
/// <item><c>chat.acks.midway</c> (throw): a flush of chat acks has done part of its writes (on PostgreSQL, where
/// they are several transactions), not all; the next flush must finish the job.</item>
/// </list>
/// <c>name@N</c> fires on the Nth pass through the point only (the workload gets going first); without it, every
/// pass. A kill is <c>Process.Kill()</c> on the process itself: SIGKILL, nothing after it runs. An unknown name
/// fails the start: a misspelt fail point would otherwise make a test pass without its fault.
/// </summary>
public sealed partial class FailPoints
{
    /// <summary>The setting that arms fail points.</summary>
    public const string Setting = "Atrium:FailPoints";

    public const string OutboxAfterConfirm = "outbox.after-confirm";
    public const string ConsumerAfterCommit = "consumer.after-commit";
    public const string ConsumerThrowPrefix = "consumer.throw:";
    public const string ClicksAfterCommit = "clicks.after-commit";
    public const string ChatAcksMidway = "chat.acks.midway";

    private readonly FrozenDictionary<string, Armed> _armed;
    private readonly Counter<long> _fired;
    private readonly ILogger<FailPoints> _logger;

    public FailPoints(IConfiguration configuration, IMeterFactory meters, ILogger<FailPoints> logger)
    {
        _logger = logger;
        _armed = Parse(configuration[Setting]).ToFrozenDictionary(p => p.Name, p => new Armed(p), StringComparer.Ordinal);
        _fired = meters.Create("Atrium.Platform.FailPoints")
            .CreateCounter<long>("atrium.failpoints.fired", "{fault}", "Faults injected by armed fail points (Atrium:FailPoints); 0 in production.");
        if (_armed.Count > 0)
        {
            LogArmed(string.Join(", ", _armed.Values.Select(a => a.Point.OnlyPass is { } n ? $"{a.Point.Name}@{n}" : a.Point.Name)));
        }
    }

    /// <summary>Whether any fail point is armed (false in production).</summary>
    public bool Any => _armed.Count > 0;

    /// <summary>
    /// Parses an <c>Atrium:FailPoints</c> value: names separated by commas, each optionally <c>@N</c> (N ≥ 1).
    /// Null or blank: none. Throws <see cref="FormatException"/> naming the bad entry.
    /// </summary>
    public static IReadOnlyList<FailPoint> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var points = new List<FailPoint>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.LastIndexOf('@');
            var name = at < 0 ? entry : entry[..at].Trim();
            long? pass = null;
            if (at >= 0)
            {
                if (!long.TryParse(entry[(at + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    throw new FormatException($"{Setting}: '{entry}' must end in @N with N a whole number of at least 1.");
                }

                pass = n;
            }

            var action = ActionOf(name)
                ?? throw new FormatException(
                    $"{Setting}: unknown fail point '{name}'; known: {OutboxAfterConfirm}, {ConsumerAfterCommit}, {ClicksAfterCommit}, {ChatAcksMidway}, {ConsumerThrowPrefix}<consumer-name>.");
            if (points.Exists(p => p.Name == name))
            {
                throw new FormatException($"{Setting}: fail point '{name}' is listed twice.");
            }

            points.Add(new FailPoint(name, action, pass));
        }

        return points;
    }

    /// <summary>Passes the point <paramref name="name"/>: nothing unless it is armed and due, else kills or throws.</summary>
    public void Hit(string name)
    {
        if (_armed.Count > 0 && _armed.TryGetValue(name, out var armed))
        {
            Fire(armed);
        }
    }

    /// <summary>Passes <c>consumer.throw:&lt;consumer&gt;</c> for the consumer about to handle a fresh delivery.</summary>
    public void HitConsumer(string consumer)
    {
        if (_armed.Count > 0)
        {
            Hit(ConsumerThrowPrefix + consumer);
        }
    }

    private static FailPointAction? ActionOf(string name) => name switch
    {
        OutboxAfterConfirm or ConsumerAfterCommit => FailPointAction.Kill,
        ClicksAfterCommit or ChatAcksMidway => FailPointAction.Throw,
        _ when name.StartsWith(ConsumerThrowPrefix, StringComparison.Ordinal) && name.Length > ConsumerThrowPrefix.Length => FailPointAction.Throw,
        _ => null,
    };

    private void Fire(Armed armed)
    {
        var pass = Interlocked.Increment(ref armed.Passes);
        if (armed.Point.OnlyPass is { } only && pass != only)
        {
            return;
        }

        _fired.Add(1, new KeyValuePair<string, object?>("point", armed.Point.Name));
        LogFired(armed.Point.Name, pass, armed.Point.Action);
        if (armed.Point.Action == FailPointAction.Kill)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill(); // SIGKILL: no shutdown hooks, no flush, nothing after this line runs
        }

        throw new InvalidOperationException($"Fail point '{armed.Point.Name}' fired (pass {pass}); it is armed by {Setting}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fail points armed (Atrium:FailPoints, a testing aid): {Points}")]
    private partial void LogArmed(string points);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fail point {Point} fired on pass {Pass}: {Action}")]
    private partial void LogFired(string point, long pass, FailPointAction action);

    /// <summary>An armed point and how many times it was passed.</summary>
    private sealed class Armed(FailPoint point)
    {
        public long Passes;

        public FailPoint Point { get; } = point;
    }
}
